/** The runtime status of an orchestration instance, as the HTTP API spells it. */
export enum OrchestrationRuntimeStatus {
  Running = "Running",
  Completed = "Completed",
  /** Transient: the instance restarted itself with a new history. */
  ContinuedAsNew = "ContinuedAsNew",
  Failed = "Failed",
  Canceled = "Canceled",
  Terminated = "Terminated",
  /** Scheduled but not started yet. */
  Pending = "Pending",
  Suspended = "Suspended",
}
