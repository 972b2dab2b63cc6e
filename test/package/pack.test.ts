/**
 * The published package: `npm pack`, installed into a fresh app beside its own @azure/functions,
 * must load from CommonJS and ESM, run an orchestration in memory, reach a task hub in Azure
 * Storage and offer the `durable` bin.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { testStorageConnectionString } from "../support/test-storage";

const root = resolve(__dirname, "../..");
const versionOf = (packageJson: string) =>
  (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
let work: string;
let app: string;

function run(command: string, args: string[], cwd: string): string {
  return execFileSync(command, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "durable-ts-pack-"));
  // The jest global setup built the package; building again here would rewrite dist/ under
  // the feet of the tests that run it.
  run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], root);
  const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
  if (!tarball) throw new Error("npm pack produced no tarball");
  app = join(work, "app");
  run("mkdir", ["-p", app], work);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({ name: "consumer", version: "1.0.0", private: true }),
  );
  const azureFunctions = `@azure/functions@${versionOf(join(root, "node_modules/@azure/functions/package.json"))}`;
  run(
    "npm",
    ["install", "--prefer-offline", "--no-audit", "--no-fund", join(work, tarball), azureFunctions],
    app,
  );
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe("the packed package", () => {
  it("shares the app's @azure/functions instead of bringing its own", () => {
    expect(existsSync(join(app, "node_modules/durable-ts/node_modules/@azure/functions"))).toBe(false);
  });

  it("loads from CommonJS with the durable-functions surface", () => {
    writeFileSync(
      join(app, "cjs.js"),
      'const df = require("durable-ts"); console.log([typeof df.app.orchestration, typeof df.getClient, typeof df.RetryOptions].join(","));',
    );
    expect(run("node", ["cjs.js"], app).trim().split("\n").pop()).toBe("function,function,function");
  });

  it("runs an orchestration from an ES module through durable-ts/testing", () => {
    writeFileSync(
      join(app, "esm.mjs"),
      [
        'import * as df from "durable-ts";',
        'import { DurableTestHub } from "durable-ts/testing";',
        'df.app.activity("AddOne", { handler: (x) => x + 1 });',
        'df.app.orchestration("Twice", function* (ctx) { const a = yield ctx.df.callActivity("AddOne", 1); return yield ctx.df.callActivity("AddOne", a); });',
        "const hub = await DurableTestHub.start();",
        'const status = await hub.waitForCompletion(await hub.startOrchestration("Twice"));',
        "console.log(JSON.stringify(status.output));",
        "await hub.stop();",
      ].join("\n"),
    );
    expect(run("node", ["esm.mjs"], app).trim().split("\n").pop()).toBe("3");
  });

  it("reaches a task hub in Azure Storage through durable-ts/task-hub", () => {
    writeFileSync(
      join(app, "client.mjs"),
      [
        'import { createTaskHubClient } from "durable-ts/task-hub";',
        "const client = await createTaskHubClient({ connectionString: process.env.STORAGE, hubName: process.env.HUB });",
        'await client.startNew("Anything", { instanceId: "packed" });',
        'console.log((await client.getInstance("packed")).runtimeStatus);',
        "await client.hub.deleteHub();",
      ].join("\n"),
    );
    const output = execFileSync("node", ["client.mjs"], {
      cwd: app,
      encoding: "utf8",
      env: { ...process.env, STORAGE: testStorageConnectionString(), HUB: `Packed${Date.now()}` },
    });
    expect(output.trim().split("\n").pop()).toBe("Pending");
  });

  it("installs the durable command", () => {
    const version = versionOf(join(root, "package.json"));
    expect(run("npx", ["--no-install", "durable", "--version"], app).trim()).toBe(version);
  });
});
