import type { ActionDraft } from "../actions";
import { DurableTask } from "./durable-task";
import type { CompositeTask, TaskBase, TaskTracker } from "./task-base";

/** A yieldable task made of child tasks; the replay tracks its children, never the compound itself. */
export abstract class CompoundTask extends DurableTask implements CompositeTask {
  protected firstError: unknown = undefined;

  protected constructor(
    readonly children: TaskBase[],
    action: ActionDraft,
  ) {
    super(false, action);
    for (const child of children) {
      child.parent = this;
    }
    if (children.length === 0) {
      throw new Error(
        "When constructing a CompoundTask (such as Task.all() or Task.any()), you must specify at least one Task.",
      );
    }
  }

  onChildSettled(child: TaskBase, tracker: TaskTracker | undefined): void {
    this.isPlayed = child.isPlayed;
    this.childSettled(child, tracker);
  }

  /** Decides what a settled child means for this task. */
  protected abstract childSettled(child: TaskBase, tracker: TaskTracker | undefined): void;

  /** Adds a child after the task was yielded, and has the replay number it at once. */
  protected adopt(child: TaskBase, tracker: TaskTracker): void {
    child.parent = this;
    this.children.push(child);
    tracker.track(child);
  }

  /** Fails with the first failing child; later failures change nothing. */
  protected failWithFirstError(child: TaskBase): void {
    if (this.firstError === undefined) {
      this.firstError = child.result;
      this.setValue(true, this.firstError);
    }
  }
}
