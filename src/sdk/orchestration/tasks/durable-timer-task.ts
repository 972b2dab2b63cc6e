import type { TimerActionDraft } from "../actions";
import type { TimerTask } from "../types";
import { AtomicTask } from "./atomic-task";
import type { TaskKey } from "./task-base";

/** A durable timer that fires once. */
export class DurableTimerTask extends AtomicTask implements TimerTask {
  constructor(
    id: TaskKey,
    private readonly timer: TimerActionDraft,
  ) {
    super(id, timer);
  }

  get isCanceled(): boolean {
    return this.timer.isCanceled;
  }

  /** Marks the action cancelled; the host sees it in the next OrchestratorState. */
  cancel(): void {
    if (this.hasResult) {
      throw Error("Cannot cancel a completed task.");
    }
    this.timer.isCanceled = true;
  }
}
