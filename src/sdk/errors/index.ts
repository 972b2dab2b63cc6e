export { AggregatedError } from "./aggregated-error";
export { DurableError } from "./durable-error";
export { LockingRulesViolationError, LockingRulesViolationMessages } from "./locking-rules-violation-error";
export {
  NonDeterministicOrchestrationError,
  type ReplayMismatch,
} from "./non-deterministic-orchestration-error";
export { OrchestrationFailureError } from "./orchestration-failure-error";
export {
  TaskFailedError,
  failureDetailsFromWire,
  failureDetailsToWire,
  type FailureDetails,
  type FailureDetailsWire,
} from "./task-failed-error";
