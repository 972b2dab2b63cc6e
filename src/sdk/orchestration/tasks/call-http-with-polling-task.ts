import { ActionType } from "../../../protocol";
import { DurableHttpResponse } from "../../http/durable-http-response";
import { callHttpAction, type CallHttpActionDraft } from "../actions";
import { durationFromValue } from "../time-span";
import { AtomicTask } from "./atomic-task";
import { CompoundTask } from "./compound-task";
import { TaskState, type TaskBase, type TaskKey, type TaskTracker } from "./task-base";
import type { TimerScheduler } from "./timer-scheduler";

/**
 * A durable HTTP call that follows the asynchronous 202 pattern (schema V3+). While the endpoint
 * answers 202 with a Location header, the host waits (Retry-After seconds, or the default) and asks
 * again; this task numbers the same timer and request the host creates for every round.
 */
export class CallHttpWithPollingTask extends CompoundTask {
  constructor(
    id: TaskKey,
    private readonly request: CallHttpActionDraft,
    private readonly scheduler: TimerScheduler,
    private readonly tracker: TaskTracker,
    /** Milliseconds, as the trigger gave it. */
    private readonly defaultPollingInterval: unknown,
  ) {
    super([new AtomicTask(id, request)], request);
  }

  protected childSettled(child: TaskBase): void {
    if (child.state !== TaskState.Completed) {
      this.failWithFirstError(child);
      return;
    }
    if (child.action?.actionType !== ActionType.CallHttp) {
      return; // a polling timer fired; the request that follows it decides
    }
    const body = child.result as { statusCode: number; content?: string; headers?: Record<string, string> };
    const response = new DurableHttpResponse(body.statusCode, body.content, body.headers);
    if (response.statusCode === 202 && response.getHeader("Location")) {
      const fireAt = new Date(this.scheduler.currentUtcDateTime.getTime() + this.pollingDelayMs(response));
      this.adopt(this.scheduler.createTimerTask(fireAt), this.tracker);
      this.adopt(new AtomicTask(false, callHttpAction(this.request.httpRequest)), this.tracker);
    } else {
      this.setValue(false, response);
    }
  }

  private pollingDelayMs(response: DurableHttpResponse): number {
    const retryAfter = response.getHeader("Retry-After");
    return retryAfter
      ? durationFromValue(retryAfter, 1000)
      : durationFromValue(this.defaultPollingInterval, 1);
  }
}
