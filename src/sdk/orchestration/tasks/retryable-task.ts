import { DurableError } from "../../errors/durable-error";
import type { RetryOptions } from "../../retry-options";
import { retryTimerWork } from "../replay/scheduled-work";
import type { AtomicTask } from "./atomic-task";
import { PlaceholderTask } from "./placeholder-task";
import { TaskState, type TaskBase, type TaskTracker } from "./task-base";
import { WhenAllTask } from "./when-all-task";

/**
 * An activity or sub-orchestration retried by the host. The action is sent once; the host then
 * runs attempts and waits between them, and this task numbers the same steps: after a failed
 * attempt a timer, then (attempts left) the next attempt, or (none left) the failure. The timer
 * after the last attempt is real too: the host still creates it, as DTFx's retry interceptor does.
 */
export class RetryableTask extends WhenAllTask {
  private attemptNumber = 1;
  private waitingOnTimer = false;
  private lastError: unknown;

  constructor(
    private readonly firstAttempt: AtomicTask,
    private readonly retryOptions: RetryOptions,
  ) {
    super([firstAttempt], firstAttempt.action);
  }

  protected override childSettled(child: TaskBase, tracker: TaskTracker | undefined): void {
    if (!tracker) {
      throw new DurableError(
        "A framework-internal error was detected: no replay tracker was passed to a retryable task, " +
          "so it cannot schedule its next attempt.",
      );
    }
    if (this.waitingOnTimer) {
      this.waitingOnTimer = false;
      if (this.attemptNumber > this.retryOptions.maxNumberOfAttempts) {
        this.setValue(true, this.lastError);
      } else {
        this.adopt(new PlaceholderTask(this.firstAttempt.scheduledWork()), tracker);
      }
    } else if (child.state === TaskState.Completed) {
      this.setValue(false, child.result);
    } else {
      // Numbered before the flags change, as in the official worker: a timer event that is already
      // waiting in the replay's buffer is then taken for an attempt's outcome there too.
      this.adopt(new PlaceholderTask(retryTimerWork(this.firstAttempt.scheduledWork())), tracker);
      this.waitingOnTimer = true;
      this.lastError = child.result;
      this.attemptNumber++;
    }
  }
}
