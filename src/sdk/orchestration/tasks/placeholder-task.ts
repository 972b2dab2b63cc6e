import type { ScheduledWork } from "../replay/scheduled-work";
import { TaskBase, TaskState } from "./task-base";

/**
 * A numbered leaf with no action of its own: the retry timers and re-attempts a host inserts
 * between attempts of a retried task, which the replay must number exactly as the host does.
 */
export class PlaceholderTask extends TaskBase {
  constructor(private readonly work?: ScheduledWork) {
    super(false);
  }

  get action(): undefined {
    return undefined;
  }

  scheduledWork(): ScheduledWork | undefined {
    return this.work;
  }

  /** The task the replay starts from: already completed, so the first resume starts the generator. */
  static completed(): PlaceholderTask {
    const task = new PlaceholderTask();
    task.state = TaskState.Completed;
    return task;
  }
}
