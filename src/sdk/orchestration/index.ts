export { createOrchestrationHandler } from "./handler";
export { DurableOrchestrationContext } from "./context";
export { DummyOrchestrationContext } from "./dummy-orchestration-context";
export { LockState } from "./lock-state";
export { ActivityCallTask, registeredActivity } from "./tasks/activity-call-task";
export { SubOrchestrationCallTask, registeredOrchestration } from "./tasks/sub-orchestration-call-task";
export { deterministicGuid } from "./guid";
export { parseTimeSpan, totalMilliseconds, type TimeSpan } from "./time-span";
export type {
  CallHttpOptions,
  OrchestrationContext,
  OrchestrationHandler,
  OrchestrationOptions,
  OrchestrationTrigger,
  RegisteredOrchestration,
  RegisteredOrchestrationTask,
  Task,
  TimerTask,
} from "./types";
