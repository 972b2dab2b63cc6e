import type { Clock } from "../clock";

/** A clock that tells who is interested when its time moves, so delayed work can be released. */
export interface ObservableClock extends Clock {
  /** Calls `listener` with the new time after each move. Returns the unsubscribe function. */
  onAdvance(listener: (now: Date) => void): () => void;
}

export function isObservableClock(clock: Clock): clock is ObservableClock {
  return typeof (clock as Partial<ObservableClock>).onAdvance === "function";
}

/**
 * Time that stands still until a test moves it, so a week-long durable timer can fire at once
 * and deterministically. Time only moves forward: histories are ordered by it.
 */
export class VirtualClock implements ObservableClock {
  private nowMs: number;
  private readonly listeners = new Set<(now: Date) => void>();

  constructor(start: Date | string | number = Date.now()) {
    this.nowMs = toMs(start);
  }

  now(): Date {
    return new Date(this.nowMs);
  }

  /** Moves the clock `ms` milliseconds forward and returns the new time. */
  advance(ms: number): Date {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`Cannot advance a clock by ${ms} ms.`);
    return this.advanceTo(this.nowMs + ms);
  }

  /** Moves the clock to `time`; a time not after now leaves it where it is. Returns the new time. */
  advanceTo(time: Date | string | number): Date {
    const target = toMs(time);
    if (target > this.nowMs) {
      this.nowMs = target;
      const now = this.now();
      // A snapshot, so that a listener that unsubscribes (or subscribes) does not disturb the loop.
      for (const listener of [...this.listeners]) listener(now);
    }
    return this.now();
  }

  onAdvance(listener: (now: Date) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

function toMs(time: Date | string | number): number {
  const ms = time instanceof Date ? time.getTime() : typeof time === "string" ? Date.parse(time) : time;
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid time: ${String(time)}`);
  return ms;
}
