import { setTimeout as sleep } from "node:timers/promises";
import type { BenchHost } from "./bench-host";
import { ManagementApi } from "./management";

/** How big each scenario runs: the published shapes, or a few seconds' smoke test. */
export interface ScenarioSizes {
  sequentialSteps: number;
  fanOutWidth: number;
  helloCitiesInstances: number;
  events: number;
  entitySignals: number;
  latencyRuns: number;
  idleMs: number;
}

export const FULL_SIZES: ScenarioSizes = {
  sequentialSteps: 200,
  fanOutWidth: 1000,
  helloCitiesInstances: 1000,
  events: 1000,
  entitySignals: 1000,
  latencyRuns: 100,
  idleMs: 60_000,
};

export const SMOKE_SIZES: ScenarioSizes = {
  sequentialSteps: 5,
  fanOutWidth: 10,
  helloCitiesInstances: 5,
  events: 5,
  entitySignals: 10,
  latencyRuns: 3,
  idleMs: 500,
};

/** What a scenario measured, before the harness adds storage operations and memory. */
export interface Measurement {
  wallMs: number;
  /** The headline figures, e.g. { "activities/s": 312 }. */
  figures: Record<string, number>;
  /** What storage operations are divided by, e.g. { activity: 200, orchestration: 1 }. */
  units: Record<string, number>;
}

export interface Scenario {
  name: string;
  description: string;
  run(host: BenchHost, sizes: ScenarioSizes): Promise<Measurement>;
}

const perSecond = (count: number, ms: number) => round((count * 1000) / Math.max(ms, 1));

export const SCENARIOS: readonly Scenario[] = [
  {
    name: "sequential",
    description: "one orchestration calling activities one after another",
    async run(host, sizes) {
      const api = new ManagementApi(host.url);
      const steps = sizes.sequentialSteps;
      const started = Date.now();
      await api.run("BenchSequential", steps);
      const wallMs = Date.now() - started;
      return {
        wallMs,
        figures: { "activities/s": perSecond(steps, wallMs) },
        units: { activity: steps, orchestration: 1 },
      };
    },
  },
  {
    name: "fan-out-fan-in",
    description: "one orchestration fanning out activities in parallel and summing their results",
    async run(host, sizes) {
      const api = new ManagementApi(host.url);
      const width = sizes.fanOutWidth;
      const started = Date.now();
      const { first, last } = (await api.run("BenchFanOutFanIn", width)) as { first: number; last: number };
      const ended = Date.now();
      return {
        wallMs: ended - started,
        figures: {
          // Fan-out: until the last activity ran. Fan-in: from the first result to completion.
          "fan-out activities/s": perSecond(width, last - started),
          "fan-in responses/s": perSecond(width, ended - first),
          "activities/s": perSecond(width, ended - started),
        },
        units: { activity: width, orchestration: 1 },
      };
    },
  },
  {
    name: "hello-cities-5",
    description: "many orchestrations of 5 sequential activities, started at once",
    async run(host, sizes) {
      const api = new ManagementApi(host.url);
      const count = sizes.helloCitiesInstances;
      const started = Date.now();
      await Promise.all(Array.from({ length: count }, () => api.start("BenchHelloCities", null)));
      // A query of at most one row every 250 ms: a status-filtered query scans the Instances
      // table, and Azurite slows as it grows; waiting requests would each poll as well.
      while (await api.anyWith(["Pending", "Running"])) await sleep(250);
      const wallMs = Date.now() - started;
      const done = await api.list(["Completed"]);
      if (done.length !== count) throw new Error(`${done.length} of ${count} orchestrations completed.`);
      // Per orchestration: 5 activities, and 6 episodes (the start and one per result).
      return {
        wallMs,
        figures: {
          "orchestrations/s": perSecond(count, wallMs),
          "work items/s": perSecond(count * 11, wallMs),
        },
        units: { orchestration: count, activity: count * 5 },
      };
    },
  },
  {
    name: "external-events",
    description: "events raised to one orchestration that waits for them one by one",
    async run(host, sizes) {
      const api = new ManagementApi(host.url);
      const count = sizes.events;
      const id = "bench-events";
      // The start request itself waits for the output: it returns the moment the sum is in.
      const output = api.run("BenchEvents", count, 230, id);
      while ((await api.status(id).catch(() => undefined))?.runtimeStatus !== "Running") await sleep(10);
      const started = Date.now();
      await Promise.all(Array.from({ length: count }, () => api.raiseEvent(id, "tick", 1)));
      const sum = await output;
      const wallMs = Date.now() - started;
      if (sum !== count) throw new Error(`BenchEvents summed ${String(sum)}, not ${count}.`);
      return { wallMs, figures: { "events/s": perSecond(count, wallMs) }, units: { event: count } };
    },
  },
  {
    name: "entity-ops",
    description: "signals to one entity, then a read that sees them all",
    async run(host, sizes) {
      const api = new ManagementApi(host.url);
      const count = sizes.entitySignals;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: count }, () => api.signalEntity("BenchCounter", "one", "add", 1)),
      );
      while ((await api.entityState("BenchCounter", "one")) !== count) await sleep(10);
      const wallMs = Date.now() - started;
      return { wallMs, figures: { "operations/s": perSecond(count, wallMs) }, units: { operation: count } };
    },
  },
  {
    name: "latency",
    description:
      "a 3-activity sequence from the HTTP start to its output, one at a time, warm and after idling",
    async run(host, sizes) {
      const api = new ManagementApi(host.url);
      const started = Date.now();
      const warm = await timeRuns(api, sizes.latencyRuns);
      await sleep(sizes.idleMs);
      const afterIdle = await timeRuns(api, sizes.latencyRuns);
      return {
        wallMs: Date.now() - started,
        figures: {
          "p50 ms": percentile(warm, 50),
          "p95 ms": percentile(warm, 95),
          "p99 ms": percentile(warm, 99),
          "first after idle ms": round(afterIdle[0] ?? 0),
          "p50 after idle ms": percentile(afterIdle, 50),
        },
        units: { orchestration: sizes.latencyRuns * 2 },
      };
    },
  },
  {
    name: "idle-cost",
    description: "storage operations while the host has nothing to do",
    async run(host, sizes) {
      // Let start-up work (leases, first polls) settle before counting.
      await sleep(Math.min(5000, sizes.idleMs));
      const before = await host.diagnostics();
      await sleep(sizes.idleMs);
      const after = await host.diagnostics();
      const operations = Object.entries(after.storageOperations).reduce(
        (sum, [kind, n]) => sum + n - (before.storageOperations[kind] ?? 0),
        0,
      );
      return {
        wallMs: sizes.idleMs,
        figures: { "storage operations/min": perSecond(operations * 60, sizes.idleMs) },
        units: {},
      };
    },
  },
];

async function timeRuns(api: ManagementApi, runs: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const output = await api.run("BenchSequential", 3, 30);
    times.push(performance.now() - started);
    if (output !== 3) throw new Error(`BenchSequential returned ${String(output)}.`);
  }
  return times;
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return round(sorted[Math.max(0, index)] as number);
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
