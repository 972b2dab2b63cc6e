import { timerAction, type TimerActionDraft } from "../actions";
import type { TimerTask } from "../types";
import { DurableTimerTask } from "./durable-timer-task";
import type { TaskBase, TaskTracker } from "./task-base";
import type { TimerScheduler } from "./timer-scheduler";
import { WhenAllTask } from "./when-all-task";

/** The limits of one timer the host can hold, in milliseconds. */
export interface TimerLimits {
  /** Timers longer than this are split into a chain. */
  maximumShortTimerMs: number;
  /** The length of each link of the chain but the last. */
  longRunningTimerIntervalMs: number;
}

/**
 * A timer longer than the host's maximum, run as a chain of shorter timers (schema V3+). The
 * action names the final fire time; the host creates each link, and this task mirrors the chain
 * link by link so sequence numbers agree: after each fire, while the final time is still ahead, one
 * more timer, which is the final one when the rest fits in a short timer.
 */
export class LongTimerTask extends WhenAllTask implements TimerTask {
  constructor(
    private readonly finalTimer: TimerActionDraft,
    private readonly scheduler: TimerScheduler,
    private readonly tracker: TaskTracker,
    private readonly limits: TimerLimits,
  ) {
    super([nextLink(finalTimer.fireAt, scheduler.currentUtcDateTime, limits)], finalTimer);
  }

  get isCanceled(): boolean {
    return this.finalTimer.isCanceled;
  }

  cancel(): void {
    if (this.hasResult) {
      throw Error("Cannot cancel a completed task.");
    }
    this.finalTimer.isCanceled = true;
  }

  protected override childSettled(child: TaskBase): void {
    const now = this.scheduler.currentUtcDateTime;
    if (this.finalTimer.fireAt > now) {
      this.adopt(nextLink(this.finalTimer.fireAt, now, this.limits), this.tracker);
    }
    super.childSettled(child);
  }
}

function nextLink(finalFireAt: Date, now: Date, limits: TimerLimits): DurableTimerTask {
  const remaining = finalFireAt.getTime() - now.getTime();
  const fireAt =
    remaining > limits.maximumShortTimerMs
      ? new Date(now.getTime() + limits.longRunningTimerIntervalMs)
      : finalFireAt;
  return new DurableTimerTask(false, timerAction(fireAt));
}
