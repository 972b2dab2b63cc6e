import type { ActionDraft } from "../actions";
import { CompoundTask } from "./compound-task";
import { TaskState, type TaskBase, type TaskTracker } from "./task-base";

/** Completes with every child's result, in order, or fails with the first child that fails. */
export class WhenAllTask extends CompoundTask {
  /**
   * How many leading children are known to be completed. Children never go back to running, so the
   * "are all completed?" check only moves forward: a 1,000-way fan-out stays linear, not quadratic.
   */
  private completedPrefix = 0;

  constructor(children: TaskBase[], action: ActionDraft) {
    super(children, action);
  }

  protected childSettled(child: TaskBase, _tracker?: TaskTracker): void {
    if (child.state !== TaskState.Completed) {
      this.failWithFirstError(child);
      return;
    }
    while (
      this.completedPrefix < this.children.length &&
      this.children[this.completedPrefix].state === TaskState.Completed
    ) {
      this.completedPrefix++;
    }
    if (this.completedPrefix === this.children.length) {
      this.setValue(
        false,
        this.children.map((c) => c.result),
      );
    }
  }
}
