/** The real durable-functions 3.5.0, without the Functions worker: its handler, API and task classes. */
import type { WireOrchestrationHandler } from "./worker-outcome";

/** Loads a module of the official package; only tests may do this, never src/. */
function loadOfficial<T>(path: string): T {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require(path) as T;
}

type TaskClass = new (name: string, input?: unknown, instanceId?: string) => object;

// The same function `df.app.orchestration` registers with @azure/functions.
const testingUtils = loadOfficial<{
  createOrchestrator(fn: (context: unknown) => unknown): WireOrchestrationHandler;
}>("durable-functions/lib/src/util/testingUtils");

/** Wraps an orchestrator written against either package's API. */
export function officialOrchestrationHandler(fn: (context: never) => unknown): WireOrchestrationHandler {
  return testingUtils.createOrchestrator(fn as (context: unknown) => unknown);
}

/** The official package's public API, for scenarios that need its classes (EntityId, RetryOptions...). */
export const officialDf = loadOfficial<typeof import("durable-functions")>("durable-functions");

/** The task classes behind what the official `app.activity` / `app.orchestration` return. */
export const OfficialRegisteredActivityTask = loadOfficial<{ RegisteredActivityTask: TaskClass }>(
  "durable-functions/lib/src/task/RegisteredActivityTask",
).RegisteredActivityTask;
export const OfficialRegisteredOrchestrationTask = loadOfficial<{ RegisteredOrchestrationTask: TaskClass }>(
  "durable-functions/lib/src/task/RegisteredOrchestrationTask",
).RegisteredOrchestrationTask;
