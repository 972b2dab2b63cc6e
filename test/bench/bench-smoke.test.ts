/**
 * The benchmark harness works: a smoke-sized run of every scenario on both providers, through
 * the built `npm run bench` entry point. Figures are not checked, only that each was measured.
 */
import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import type { BenchReport } from "../../bench/harness/report";

const run = promisify(execFile);
const BENCH = resolve(__dirname, "../../dist/bench/run.js");

describe("npm run bench", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "bench-smoke-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs every scenario on both providers and writes the report", async () => {
    const out = join(dir, "latest.json");
    const { stdout } = await run(process.execPath, [BENCH, "--smoke", "--out", out], { timeout: 120_000 });
    const report = JSON.parse(await readFile(out, "utf8")) as BenchReport;

    const scenarios = [
      "sequential",
      "fan-out-fan-in",
      "hello-cities-5",
      "external-events",
      "entity-ops",
      "latency",
      "idle-cost",
    ];
    expect(report.results.map((r) => `${r.scenario}/${r.provider}`)).toEqual([
      ...scenarios.map((s) => `${s}/azure`),
      ...scenarios.map((s) => `${s}/memory`),
    ]);
    for (const result of report.results) {
      expect(result.wallMs).toBeGreaterThan(0);
      expect(result.peakRssBytes).toBeGreaterThan(0);
      for (const value of Object.values(result.figures)) expect(Number.isFinite(value)).toBe(true);
    }
    // Storage is counted on Azure, and the memory provider has none.
    const sequential = report.results.find((r) => r.scenario === "sequential" && r.provider === "azure");
    expect(sequential?.storageOperations["queue.send"]).toBeGreaterThan(0);
    expect(sequential?.storageOperations["table.transaction"]).toBeGreaterThan(0);
    expect(
      report.results
        .filter((r) => r.provider === "memory")
        .every((r) => Object.keys(r.storageOperations).length === 0),
    ).toBe(true);
    expect(stdout).toContain("| scenario | provider |");
  }, 150_000);

  it("refuses an unknown scenario with usage and exit code 2", async () => {
    await expect(run(process.execPath, [BENCH, "--scenario", "nope"])).rejects.toMatchObject({
      code: 2,
      stderr: expect.stringContaining("Unknown scenario 'nope'"),
    });
  });
});
