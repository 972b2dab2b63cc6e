import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseLocalSettings, readLocalSettings } from "../../../src/host/config";

const PATH = "/app/local.settings.json";

describe("local.settings.json", () => {
  it("is optional", () => {
    const appDir = mkdtempSync(join(tmpdir(), "durable-local-settings-"));
    try {
      expect(readLocalSettings(appDir)).toBeUndefined();
      writeFileSync(join(appDir, "local.settings.json"), '{"Values": {"A": "1",}, // note\n}');
      expect(readLocalSettings(appDir)?.values).toEqual({ A: "1" });
    } finally {
      rmSync(appDir, { recursive: true, force: true });
    }
  });

  it("reads Values and the Host section", () => {
    const settings = parseLocalSettings(
      {
        IsEncrypted: false,
        Values: { AzureWebJobsStorage: "UseDevelopmentStorage=true", FUNCTIONS_WORKER_RUNTIME: "node" },
        Host: {
          LocalHttpPort: 7072,
          CORS: "http://localhost:3000, https://example.com",
          CORSCredentials: true,
        },
      },
      PATH,
    );
    expect(settings).toEqual({
      path: PATH,
      values: { AzureWebJobsStorage: "UseDevelopmentStorage=true", FUNCTIONS_WORKER_RUNTIME: "node" },
      localHttpPort: 7072,
      corsOrigins: ["http://localhost:3000", "https://example.com"],
      corsCredentials: true,
      notes: [],
    });
  });

  it("binds its sections without regard to case, as Core Tools does", () => {
    const settings = parseLocalSettings(
      { values: { A: "x" }, host: { localHttpPort: 8080, cors: "*" } },
      PATH,
    );
    expect(settings).toMatchObject({ values: { A: "x" }, localHttpPort: 8080, corsOrigins: ["*"] });
  });

  it("refuses an encrypted file and says how to decrypt it", () => {
    expect(() => parseLocalSettings({ IsEncrypted: true, Values: { A: "opaque" } }, PATH)).toThrow(
      `${PATH} is encrypted ("IsEncrypted": true) and cannot be read here: run 'func settings decrypt'`,
    );
  });

  it("accepts string values only, naming each other one", () => {
    expect(() => parseLocalSettings({ Values: { PORT: 8080, ON: true, OBJ: {}, OK: "y" } }, PATH)).toThrow(
      `${PATH}: 'Values.PORT' must be a string, not the number 8080 (write "8080"); ` +
        `'Values.ON' must be a string, not the boolean true (write "true"); ` +
        `'Values.OBJ' must be a string, not an object.`,
    );
  });

  it("checks the Host settings", () => {
    expect(() => parseLocalSettings({ Host: { LocalHttpPort: "7071" } }, PATH)).toThrow(
      `'Host.LocalHttpPort' must be a port number from 1 to 65535, not the string "7071"`,
    );
    expect(() => parseLocalSettings({ Host: { LocalHttpPort: 70000 } }, PATH)).toThrow(
      "not the number 70000",
    );
    expect(() => parseLocalSettings({ Host: { CORS: ["*"] } }, PATH)).toThrow(
      "'Host.CORS' must be a comma-separated string of origins, not an array",
    );
    expect(() => parseLocalSettings({ Host: { CORSCredentials: "yes" } }, PATH)).toThrow(
      `'Host.CORSCredentials' must be true or false, not the string "yes"`,
    );
    expect(() => parseLocalSettings({ Host: 7071 }, PATH)).toThrow(
      "'Host' must be an object, not the number 7071",
    );
  });

  it("refuses credentials with a wildcard origin, which browsers and ASP.NET refuse", () => {
    expect(() => parseLocalSettings({ Host: { CORS: "*", CORSCredentials: true } }, PATH)).toThrow(
      `'Host.CORSCredentials' cannot be true while 'Host.CORS' allows "*"`,
    );
  });

  it("ignores ConnectionStrings with a note", () => {
    const settings = parseLocalSettings({ ConnectionStrings: { Sql: "Server=x" } }, PATH);
    expect(settings.notes).toEqual([expect.stringContaining("'ConnectionStrings' is ignored")]);
    expect(parseLocalSettings({ ConnectionStrings: {} }, PATH).notes).toEqual([]);
  });

  it("names the file and position of broken JSON", () => {
    const appDir = mkdtempSync(join(tmpdir(), "durable-local-settings-"));
    try {
      writeFileSync(join(appDir, "local.settings.json"), '{"Values": {"A": }}');
      expect(() => readLocalSettings(appDir)).toThrow(
        `Invalid JSON at ${join(appDir, "local.settings.json")}:1:18: expected a value, found '}'.`,
      );
    } finally {
      rmSync(appDir, { recursive: true, force: true });
    }
  });
});
