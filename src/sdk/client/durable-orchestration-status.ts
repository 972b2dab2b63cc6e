import type { OrchestrationRuntimeStatus } from "./orchestration-runtime-status";

/** The status object the HTTP API returns, before it is checked. */
interface StatusInit {
  name: string;
  instanceId: string;
  createdTime: string | Date;
  lastUpdatedTime: string | Date;
  input: unknown;
  output: unknown;
  runtimeStatus: OrchestrationRuntimeStatus;
  customStatus?: unknown;
  history?: unknown[];
}

/** The status of one orchestration instance, as returned by `DurableClient.getStatus`. */
export class DurableOrchestrationStatus {
  readonly name: string;
  readonly instanceId: string;
  readonly createdTime: Date;
  readonly lastUpdatedTime: Date;
  readonly input: unknown;
  readonly output: unknown;
  readonly runtimeStatus: OrchestrationRuntimeStatus;
  readonly customStatus?: unknown;
  /**
   * Always undefined with the real host, which sends `historyEvents`: durable-functions reads
   * `history` and so do we, to return the same object.
   */
  readonly history?: unknown[];

  /**
   * @throws TypeError when a required field is missing or has the wrong type. (Optional in the
   * signature only because durable-functions declares the class without parameters.)
   */
  constructor(init?: unknown) {
    if (!isStatusInit(init)) {
      throw new TypeError(
        "Failed to construct a DurableOrchestrationStatus object because the initializer had invalid types " +
          `or missing fields. Initializer received: ${JSON.stringify(init)}`,
      );
    }
    this.name = init.name;
    this.instanceId = init.instanceId;
    this.createdTime = new Date(init.createdTime);
    this.lastUpdatedTime = new Date(init.lastUpdatedTime);
    this.input = init.input;
    this.output = init.output;
    this.runtimeStatus = init.runtimeStatus;
    this.customStatus = init.customStatus;
    this.history = init.history;
  }
}

function isStatusInit(value: unknown): value is StatusInit {
  if (value === undefined || value === null) {
    return false;
  }
  const init = value as Partial<Record<keyof StatusInit, unknown>>;
  return (
    typeof init.name === "string" &&
    typeof init.instanceId === "string" &&
    isTime(init.createdTime) &&
    isTime(init.lastUpdatedTime) &&
    init.input !== undefined &&
    init.output !== undefined &&
    typeof init.runtimeStatus === "string"
  );
}

function isTime(value: unknown): boolean {
  return typeof value === "string" || value instanceof Date;
}
