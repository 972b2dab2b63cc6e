import type { RetryOptions } from "../../retry-options";
import { callSubOrchestratorAction, callSubOrchestratorWithRetryAction } from "../actions";
import type { Task } from "../types";
import { AtomicTask } from "./atomic-task";
import { RetryableTask } from "./retryable-task";

/** The task returned by calling what `app.orchestration` registered: it starts a sub-orchestration. */
export class SubOrchestrationCallTask extends AtomicTask {
  constructor(
    private readonly orchestrationName: string,
    private readonly input?: unknown,
    private readonly instanceId?: string,
  ) {
    super(false, callSubOrchestratorAction(orchestrationName, instanceId, input));
  }

  readonly withRetry = (retryOptions: RetryOptions): Task => {
    if (this.alreadyScheduled) {
      throw new Error(
        "Invalid use of `.withRetry`: attempted to create a retriable task from an already scheduled task. " +
          `A task with ID ${String(this.id)} to call subOrchestrator ${this.orchestrationName} has already been scheduled. ` +
          "Make sure to only invoke `.withRetry` on tasks that have not previously been yielded.",
      );
    }
    const firstAttempt = new AtomicTask(
      false,
      callSubOrchestratorWithRetryAction(this.orchestrationName, retryOptions, this.input, this.instanceId),
    );
    return new RetryableTask(firstAttempt, retryOptions);
  };
}

/** What `app.orchestration(name, ...)` returns: a function creating the sub-orchestration task. */
export function registeredOrchestration(
  orchestrationName: string,
): (input?: unknown, instanceId?: string) => SubOrchestrationCallTask {
  return (input?: unknown, instanceId?: string) =>
    new SubOrchestrationCallTask(orchestrationName, input, instanceId);
}
