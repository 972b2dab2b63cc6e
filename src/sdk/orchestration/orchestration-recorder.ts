import type { ActionDraft } from "./actions";
import type { ScheduledWork } from "./replay/scheduled-work";
import type { TaskTracker } from "./tasks/task-base";

/** What the orchestration context asks of the replay beyond creating tasks. */
export interface OrchestrationRecorder extends TaskTracker {
  /** Whether `continueAsNew` was called; no action is recorded after it. */
  willContinueAsNew: boolean;
  /** Appends an action to OrchestratorState (unless the orchestration is continuing as new). */
  addToActions(action: ActionDraft): void;
  /**
   * Records an action nobody waits for (signal, lock release) and consumes the `count` sequence
   * numbers the host will use for it, each expected to appear in history as `work`.
   */
  recordFireAndForget(action: ActionDraft, work: ScheduledWork | undefined, count?: number): void;
}
