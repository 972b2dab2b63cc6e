import type { OrchestrationRuntimeStatus } from "./orchestration-runtime-status";

/** Options of `DurableClient.startNew`. */
export interface StartNewOptions {
  /** The id of the new instance; the host generates one when absent. */
  instanceId?: string;
  /** JSON-serialisable orchestration input. */
  input?: unknown;
  /** The orchestration version; the host's default when absent. */
  version?: string;
}

/** Options of `DurableClient.getStatus`. */
export interface GetStatusOptions {
  showHistory?: boolean;
  showHistoryOutput?: boolean;
  showInput?: boolean;
}

/** Targets another task hub (and its connection) than the binding's. */
export interface TaskHubOptions {
  taskHubName?: string;
  connectionName?: string;
}

/** Selects instances for `getStatusBy` and `purgeInstanceHistoryBy`. */
export interface OrchestrationFilter {
  createdTimeFrom?: Date;
  createdTimeTo?: Date;
  /** Instances in any of these statuses. */
  runtimeStatus?: OrchestrationRuntimeStatus[];
}

/** Options of `DurableClient.waitForCompletionOrCreateCheckStatusResponse`. */
export interface WaitForCompletionOptions {
  /** @default 10000 */
  timeoutInMilliseconds?: number;
  /** @default 1000 */
  retryIntervalInMilliseconds?: number;
}

/** Everything a status query can carry; the public methods each expose a part of it. */
export interface StatusQuery extends TaskHubOptions, GetStatusOptions, OrchestrationFilter {
  instanceId?: string;
}
