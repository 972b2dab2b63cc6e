/**
 * `npm run bench [-- --scenario NAME] [-- --provider azure|memory] [-- --smoke] [-- --out FILE]`:
 * runs the benchmark scenarios against a real `durable start` host process, as a user would
 * drive it over HTTP, and reports throughput, latency, storage operations and memory.
 */
import { mkdir, writeFile } from "node:fs/promises";
import { availableParallelism, cpus, totalmem } from "node:os";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { BenchHost, type HostDiagnostics, type Provider } from "./harness/bench-host";
import { markdownReport, type BenchReport, type ScenarioResult } from "./harness/report";
import { FULL_SIZES, SCENARIOS, SMOKE_SIZES, type Scenario } from "./harness/scenarios";

const USAGE = `Usage: npm run bench -- [--scenario NAME]... [--provider azure|memory]... [--smoke] [--out FILE]
Scenarios: ${SCENARIOS.map((s) => s.name).join(", ")}`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scenario: { type: "string", multiple: true },
      provider: { type: "string", multiple: true },
      smoke: { type: "boolean", default: false },
      out: { type: "string" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const scenarios = pickScenarios(values.scenario);
  const providers = pickProviders(values.provider);
  const sizes = values.smoke ? SMOKE_SIZES : FULL_SIZES;
  const out = resolve(values.out ?? resolve(__dirname, "../../bench/results/latest.json"));

  const results: ScenarioResult[] = [];
  for (const provider of providers) {
    for (const scenario of scenarios) {
      process.stderr.write(`bench: ${scenario.name} on ${provider}...\n`);
      results.push(await runScenario(scenario, provider, sizes));
    }
  }
  const report: BenchReport = {
    date: new Date().toISOString(),
    smoke: values.smoke,
    machine: {
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? "unknown",
      memoryBytes: totalmem(),
      node: process.version,
    },
    results,
  };
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(report, null, 2)}\n`);
  console.log(markdownReport(report));
}

/** The host of the scenario under way: an interrupted run stops it, and its Azurite, too. */
let running: BenchHost | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void (running?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  });
}

/** A fresh Azurite and host per scenario, so no scenario pays for another's leftovers. */
async function runScenario(
  scenario: Scenario,
  provider: Provider,
  sizes: typeof FULL_SIZES,
): Promise<ScenarioResult> {
  const host = await BenchHost.start(provider);
  running = host;
  try {
    const before = await host.diagnostics();
    const measurement = await scenario.run(host, sizes);
    const after = await settledDiagnostics(host);
    return {
      scenario: scenario.name,
      provider,
      ...measurement,
      storageOperations: growth(before.storageOperations, after.storageOperations),
      storageMilliseconds: growth(before.storageMilliseconds, after.storageMilliseconds),
      peakRssBytes: after.peakRssBytes,
    };
  } finally {
    running = undefined;
    await host.stop();
  }
}

/**
 * The host's figures once its storage requests have stopped: message deletions and status rows
 * of the last episodes follow their completion, and belong to the scenario's cost.
 */
async function settledDiagnostics(host: BenchHost): Promise<HostDiagnostics> {
  const total = (d: HostDiagnostics) => Object.values(d.storageOperations).reduce((sum, n) => sum + n, 0);
  let last = await host.diagnostics();
  for (let waited = 0; waited < 10_000; waited += 250) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const next = await host.diagnostics();
    // Idle polls go on for ever, but a few at most in a quarter of a second.
    if (total(next) - total(last) <= 2) return next;
    last = next;
  }
  return last;
}

/** What each kind grew by during the scenario; kinds that did not grow are left out. */
function growth(before: Record<string, number>, after: Record<string, number>): Record<string, number> {
  const grown: Record<string, number> = {};
  for (const [kind, value] of Object.entries(after)) {
    const delta = value - (before[kind] ?? 0);
    if (delta > 0) grown[kind] = delta;
  }
  return grown;
}

function pickScenarios(names: string[] | undefined): Scenario[] {
  if (!names?.length) return [...SCENARIOS];
  return names.map((name) => {
    const scenario = SCENARIOS.find((s) => s.name === name);
    if (!scenario) throw new UsageError(`Unknown scenario '${name}'.`);
    return scenario;
  });
}

function pickProviders(names: string[] | undefined): Provider[] {
  if (!names?.length) return ["azure", "memory"];
  return names.map((name) => {
    if (name !== "azure" && name !== "memory")
      throw new UsageError(`Unknown provider '${name}': use azure or memory.`);
    return name;
  });
}

class UsageError extends Error {}

main().catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
    console.error(`bench: ${(error as Error).message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  console.error("bench:", error);
  process.exitCode = 1;
});
