import type { Task } from "../types";
import type { ActionDraft } from "../actions";
import type { ScheduledWork } from "../replay/scheduled-work";

export enum TaskState {
  Running,
  Failed,
  Completed,
}

/**
 * How a task is found when its completion event arrives: `false` until the replay numbers it, then
 * its sequence number; for external events, the event name.
 */
export type TaskKey = number | string | false;

/** What composite tasks need from the replay to add children after they were yielded. */
export interface TaskTracker {
  track(task: TaskBase): void;
}

/** Anything the replay can wait on. Leaves are matched to history events; composites combine leaves. */
export abstract class TaskBase implements Task {
  id: TaskKey;
  state = TaskState.Running;
  result: unknown;
  /** Whether the event that completed this task was replayed from an earlier episode. */
  isPlayed = false;
  parent: CompositeTask | undefined;

  protected constructor(id: TaskKey) {
    this.id = id;
  }

  /** The action this task stands for in OrchestratorState, if it has one. */
  abstract get action(): ActionDraft | undefined;

  /** What the history must record for this leaf's sequence number, for replay checks. */
  abstract scheduledWork(): ScheduledWork | undefined;

  get isCompleted(): boolean {
    return this.state === TaskState.Completed;
  }

  get isFaulted(): boolean {
    return this.state === TaskState.Failed;
  }

  get hasResult(): boolean {
    return this.state !== TaskState.Running;
  }

  /** Settles the task and tells its parent. Failures must be Error values, as the worker checks. */
  setValue(isError: boolean, value: unknown, tracker?: TaskTracker): void {
    if (isError && !(value instanceof Error)) {
      throw new Error(`Task ID ${String(this.id)} failed but it's value was not an Exception`);
    }
    this.state = isError ? TaskState.Failed : TaskState.Completed;
    this.result = value;
    this.parent?.onChildSettled(this, tracker);
  }
}

/** A composite task: its outcome is derived from its children's. */
export interface CompositeTask {
  onChildSettled(child: TaskBase, tracker: TaskTracker | undefined): void;
}
