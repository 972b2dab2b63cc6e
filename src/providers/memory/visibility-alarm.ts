import type { Clock } from "../clock";
import { isObservableClock } from "./virtual-clock";

/** setTimeout cannot wait longer than this (about 24.8 days); longer waits are re-armed. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Calls `onDue` when the earliest delayed message may have become visible. On an observable
 * (virtual) clock that is whenever the clock moves; on a real clock it is a timer set for
 * the time asked for, so nobody polls.
 */
export class VisibilityAlarm {
  private timer: NodeJS.Timeout | undefined;
  private armedAtMs: number | undefined;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly onDue: () => void,
  ) {
    this.unsubscribe = isObservableClock(clock) ? clock.onAdvance(() => this.onDue()) : undefined;
  }

  /** Arms the alarm for `atMs` (epoch milliseconds), or disarms it when undefined. */
  set(atMs: number | undefined): void {
    if (this.unsubscribe) return; // time moves only by advancing, which calls onDue anyway
    if (atMs === this.armedAtMs) return;
    this.clearTimer();
    if (atMs === undefined) return;
    this.armedAtMs = atMs;
    // At least 1 ms: the timer and Date.now() can disagree by a tick, and onDue re-arms.
    const delay = Math.min(Math.max(atMs - this.clock.now().getTime(), 1), MAX_TIMEOUT_MS);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.armedAtMs = undefined;
      this.onDue();
    }, delay);
  }

  dispose(): void {
    this.clearTimer();
    this.unsubscribe?.();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAtMs = undefined;
  }
}
