import type { ActionDraft } from "../actions";
import { CompoundTask } from "./compound-task";
import { TaskState, type TaskBase } from "./task-base";

/** Completes with the first child to settle (the child task itself, failed or not). */
export class WhenAnyTask extends CompoundTask {
  constructor(children: TaskBase[], action: ActionDraft) {
    super(children, action);
  }

  protected childSettled(child: TaskBase): void {
    if (this.state === TaskState.Running) {
      this.setValue(false, child);
    }
  }
}
