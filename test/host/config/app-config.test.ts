import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { applyEnvironment, mergeAppSettings, readAppConfig } from "../../../src/host/config";

describe("readAppConfig", () => {
  let appDir: string;
  beforeEach(() => {
    appDir = mkdtempSync(join(tmpdir(), "durable-app-config-"));
    writeFileSync(join(appDir, "host.json"), JSON.stringify({ version: "2.0" }));
  });
  afterEach(() => rmSync(appDir, { recursive: true, force: true }));

  function writeLocalSettings(settings: unknown): void {
    writeFileSync(join(appDir, "local.settings.json"), JSON.stringify(settings));
  }

  it("runs an app with host.json alone on port 7071 under /api", () => {
    const config = readAppConfig(appDir, { PATH: "/bin" });
    expect(config).toMatchObject({
      appDir,
      localSettings: undefined,
      env: { PATH: "/bin" },
      port: 7071,
      routePrefix: "api",
      cors: { allowedOrigins: [], allowCredentials: false },
      notes: [],
    });
  });

  it("resolves a relative app folder", () => {
    expect(readAppConfig(relative(process.cwd(), appDir), {}).appDir).toBe(appDir);
  });

  it("takes the port and CORS policy from local.settings.json", () => {
    writeLocalSettings({ Host: { LocalHttpPort: 7080, CORS: "*" } });
    const config = readAppConfig(appDir, {});
    expect(config.port).toBe(7080);
    expect(config.cors).toEqual({ allowedOrigins: ["*"], allowCredentials: false });
  });

  it("adds Values to the environment it returns, leaving the given one untouched", () => {
    writeLocalSettings({ Values: { AzureWebJobsStorage: "UseDevelopmentStorage=true" } });
    const env = { HOME: "/home/me" };
    const config = readAppConfig(appDir, env);
    expect(config.env).toEqual({ HOME: "/home/me", AzureWebJobsStorage: "UseDevelopmentStorage=true" });
    expect(env).toEqual({ HOME: "/home/me" });
  });

  it("lets a variable already in the environment win over a Value, with a note", () => {
    writeLocalSettings({ Values: { MyHub: "FromFile", Same: "x" } });
    const config = readAppConfig(appDir, { MyHub: "FromShell", Same: "x" });
    expect(config.env.MyHub).toBe("FromShell");
    expect(config.notes).toEqual([
      "local.settings.json: 'MyHub' is skipped, the environment already sets it.",
    ]);
  });

  it("collects the notes of local.settings.json", () => {
    writeLocalSettings({ ConnectionStrings: { Db: "x" } });
    expect(readAppConfig(appDir, {}).notes).toEqual([
      expect.stringContaining("'ConnectionStrings' is ignored"),
    ]);
  });

  it("fails for a folder without host.json", () => {
    rmSync(join(appDir, "host.json"));
    expect(() => readAppConfig(appDir, {})).toThrow(`No host.json in ${appDir}`);
  });
});

describe("mergeAppSettings", () => {
  it("treats an empty variable as set, as the shell does", () => {
    expect(mergeAppSettings({ A: "1" }, { A: "" }).env.A).toBe("");
  });
});

describe("applyEnvironment", () => {
  it("copies every set variable into the target and removes none", () => {
    const target: Record<string, string | undefined> = { KEEP: "k", A: "old" };
    applyEnvironment({ A: "new", B: "b", GONE: undefined }, target);
    expect(target).toEqual({ KEEP: "k", A: "new", B: "b" });
  });

  it("writes to process.env by default", () => {
    const name = "DURABLE_TS_APPLY_ENVIRONMENT_TEST";
    try {
      applyEnvironment({ [name]: "yes" });
      expect(process.env[name]).toBe("yes");
    } finally {
      delete process.env[name];
    }
  });
});
