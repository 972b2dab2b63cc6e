import type { RetryOptions } from "../../retry-options";
import { callActivityAction, callActivityWithRetryAction } from "../actions";
import type { Task } from "../types";
import { AtomicTask } from "./atomic-task";
import { RetryableTask } from "./retryable-task";

/** The task returned by calling what `app.activity` registered; `withRetry` turns it into a retried call. */
export class ActivityCallTask extends AtomicTask {
  constructor(
    private readonly activityName: string,
    private readonly input?: unknown,
  ) {
    super(false, callActivityAction(activityName, input));
  }

  readonly withRetry = (retryOptions: RetryOptions): Task => {
    if (this.alreadyScheduled) {
      throw new Error(
        "Invalid use of `.withRetry`: attempted to create a retriable task from an already scheduled task. " +
          `A task with ID ${String(this.id)} to call activity ${this.activityName} has already been scheduled. ` +
          "Make sure to only invoke `.withRetry` on tasks that have not previously been yielded.",
      );
    }
    const firstAttempt = new AtomicTask(
      false,
      callActivityWithRetryAction(this.activityName, retryOptions, this.input),
    );
    return new RetryableTask(firstAttempt, retryOptions);
  };
}

/** What `app.activity(name, ...)` returns: a function creating the task that calls the activity. */
export function registeredActivity(activityName: string): (input?: unknown) => ActivityCallTask {
  return (input?: unknown) => new ActivityCallTask(activityName, input);
}
