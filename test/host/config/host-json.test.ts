import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseHostJson, readHostJson } from "../../../src/host/config";

const PATH = "/app/host.json";

describe("host.json", () => {
  let appDir: string;
  beforeEach(() => (appDir = mkdtempSync(join(tmpdir(), "durable-host-json-"))));
  afterEach(() => rmSync(appDir, { recursive: true, force: true }));

  it("is required: a folder without one is not a Functions app", () => {
    expect(() => readHostJson(appDir)).toThrow(
      `No host.json in ${appDir}: this is not an Azure Functions app folder`,
    );
  });

  it("reads the file of a typical app, bundle and logging included", () => {
    writeFileSync(
      join(appDir, "host.json"),
      JSON.stringify({
        version: "2.0",
        logging: { logLevel: { default: "Information" } },
        extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" },
        extensions: { durableTask: { hubName: "MyHub" } },
        somethingNew: true,
      }),
    );
    const hostJson = readHostJson(appDir);
    expect(hostJson).toMatchObject({
      path: join(appDir, "host.json"),
      version: "2.0",
      routePrefix: "api",
      durableTask: { hubName: "MyHub" },
    });
    expect(hostJson.document.somethingNew).toBe(true);
  });

  it("names the file, line and column of broken JSON in one line", () => {
    writeFileSync(join(appDir, "host.json"), '{\n  "version": "2.0"\n  "extensions": {}\n}');
    expect(() => readHostJson(appDir)).toThrow(
      `Invalid JSON at ${join(appDir, "host.json")}:3:3: expected ',' or '}', found '"'.`,
    );
  });

  it("accepts comments, trailing commas and a byte order mark, as the Functions host does", () => {
    writeFileSync(join(appDir, "host.json"), '\uFEFF{\n  // schema\n  "version": "2.0",\n}');
    expect(readHostJson(appDir).version).toBe("2.0");
  });

  describe("version", () => {
    it("must be present", () => {
      expect(() => parseHostJson({ logging: {} }, PATH)).toThrow(
        `/app/host.json: the required 'version' property is missing (add "version": "2.0").`,
      );
    });

    it("must be 2.0", () => {
      expect(() => parseHostJson({ version: "3.0" }, PATH)).toThrow(
        "'3.0' is an invalid value for 'version': it must be \"2.0\"",
      );
      expect(() => parseHostJson({ version: 2 }, PATH)).toThrow(
        `'version' must be the string "2.0", not the number 2`,
      );
    });

    it("is matched by its exact name, as the host looks it up", () => {
      expect(() => parseHostJson({ Version: "2.0" }, PATH)).toThrow("'version' property is missing");
    });

    it("defaults in an empty host.json, which the host treats as version 2.0", () => {
      expect(parseHostJson({}, PATH).version).toBe("2.0");
    });
  });

  describe("routePrefix", () => {
    it("is 'api' by default", () => {
      expect(parseHostJson({ version: "2.0", extensions: { http: {} } }, PATH).routePrefix).toBe("api");
    });

    it("may be empty, serving HTTP functions at the root", () => {
      expect(
        parseHostJson({ version: "2.0", extensions: { http: { routePrefix: "" } } }, PATH).routePrefix,
      ).toBe("");
    });

    it("is read without regard to case and without surrounding slashes", () => {
      const hostJson = parseHostJson({ version: "2.0", Extensions: { HTTP: { RoutePrefix: "/v1/" } } }, PATH);
      expect(hostJson.routePrefix).toBe("v1");
    });

    it("must be a string", () => {
      expect(() => parseHostJson({ version: "2.0", extensions: { http: { routePrefix: 1 } } }, PATH)).toThrow(
        "'extensions.http.routePrefix' must be a string, not the number 1",
      );
    });
  });

  it("passes extensions.durableTask through unread", () => {
    const durableTask = { storageProvider: { partitionCount: 4 }, anything: [1] };
    expect(parseHostJson({ version: "2.0", extensions: { durableTask } }, PATH).durableTask).toEqual(
      durableTask,
    );
    expect(parseHostJson({ version: "2.0" }, PATH).durableTask).toBeUndefined();
  });

  it("lists every problem in one line", () => {
    const error = (() => {
      try {
        parseHostJson({ version: "1.0", extensions: { http: [], durableTask: "x" } }, PATH);
      } catch (thrown) {
        return thrown as Error;
      }
      throw new Error("no error");
    })();
    expect(error.message).not.toContain("\n");
    expect(error.message).toContain("'1.0' is an invalid value");
    expect(error.message).toContain("'extensions.http' must be an object, not an array");
    expect(error.message).toContain(`'extensions.durableTask' must be an object, not the string "x"`);
  });

  it("must hold an object", () => {
    expect(() => parseHostJson([], PATH)).toThrow("/app/host.json: must hold a JSON object, not an array.");
  });
});
