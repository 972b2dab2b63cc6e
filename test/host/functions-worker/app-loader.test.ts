import { execFile } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { AppLoadError } from "../../../src/host/functions-worker/app-load-error";
import { loadFunctionApp } from "../../../src/host/functions-worker/app-loader";
import { resetFunctionsCore } from "../../../src/host/functions-worker/functions-core";
import { FIXTURES, loadFixture } from "./load-fixture";

jest.mock(
  "@azure/functions-core",
  () =>
    jest
      .requireActual<typeof import("../../../src/host/functions-worker/functions-core")>(
        "../../../src/host/functions-worker/functions-core",
      )
      .functionsCoreModule(),
  { virtual: true },
);

const run = promisify(execFile);
const ROOT = join(__dirname, "../../..");

/** Loads an app in a plain Node process, with the default import(), and runs invocations there. */
async function loadInNode(fixture: string, invocations: unknown[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [
    "-r",
    join(ROOT, "test/support/ts-register.js"),
    join(__dirname, "processes/load-and-invoke.ts"),
    join(FIXTURES, fixture),
    JSON.stringify(invocations),
  ]);
  return JSON.parse(stdout.trim().split("\n").pop() ?? "") as Record<string, unknown>;
}

describe("loading an app in Node", () => {
  it("imports an ES module app, whose @azure/functions finds @azure/functions-core", async () => {
    const output = await loadInNode("esm-app", [
      {
        name: "EsmHello",
        input: {
          trigger: {
            kind: "http",
            request: { method: "GET", url: "http://localhost:7071/api/EsmHello?name=Ada", headers: {} },
          },
        },
      },
      { name: "Double", input: { trigger: { kind: "value", value: "21", dataType: "string" } } },
    ]);
    expect(output).toEqual({
      functions: ["EsmHello", "Double"],
      results: [{ http: { status: 200, body: '{"hello":"Ada"}' } }, { returnValue: { doubled: 42 } }],
      userLogs: ["EsmHello: esm says hello"],
      coreResolvesTo: "@azure/functions-core",
    });
  }, 30_000);

  it("imports a CommonJS app whose main is a glob", async () => {
    const output = await loadInNode("durable-app", [
      { name: "SayHello", input: { trigger: { kind: "value", value: '"Oslo"', dataType: "string" } } },
    ]);
    expect(output).toMatchObject({
      functions: ["Counter", "HelloSequence", "SayHello", "HttpStart"],
      results: [{ returnValue: "Hello, Oslo!" }],
    });
  }, 30_000);
});

describe("an app that cannot load", () => {
  let dir: string;

  beforeEach(async () => {
    resetFunctionsCore();
    dir = await mkdtemp(join(tmpdir(), "functions-worker-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const load = (): Promise<unknown> =>
    loadFunctionApp(dir, { importer: async (file) => jest.requireActual<object>(file) });

  it("is refused without a package.json", async () => {
    await expect(load()).rejects.toThrow(
      `No package.json at ${join(dir, "package.json")}: start the host in the app's folder`,
    );
  });

  it("is refused when package.json has no main", async () => {
    await writeFile(join(dir, "package.json"), JSON.stringify({ name: "x" }));
    await expect(load()).rejects.toThrow(
      `${join(dir, "package.json")} has no "main": set it to the app's entry file`,
    );
  });

  it("is refused when main matches no file", async () => {
    await writeFile(join(dir, "package.json"), JSON.stringify({ main: "dist/src/functions/*.js" }));
    await expect(load()).rejects.toThrow(
      `"main" in ${join(dir, "package.json")} is "dist/src/functions/*.js", which matches no file: build the app`,
    );
  });

  it("names the file that threw while loading, with the first line of its error", async () => {
    await writeFile(join(dir, "package.json"), JSON.stringify({ main: "index.js" }));
    await writeFile(join(dir, "index.js"), 'throw new Error("bad config\\nmore detail");');
    const error = await load().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(AppLoadError);
    expect((error as Error).message).toBe("Failed to load index.js: bad config");
  });

  it("is refused while another app is loaded in the process", async () => {
    const { app } = await loadFixture("http-app");
    expect(app.functions.length).toBeGreaterThan(0);
    await expect(loadFunctionApp(join(FIXTURES, "http-app"))).rejects.toThrow(
      "An app is already loaded in this process: the host runs one app per process.",
    );
  });
});
