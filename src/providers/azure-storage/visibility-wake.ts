/** setTimeout cannot wait longer than this (about 24.8 days); a longer wait is re-armed. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * Times closer together than this share one wake: the poll at a wake restarts the poller's
 * back-off from its shortest wait, and those first quick polls receive what shows up meanwhile.
 */
const SHARED_WAKE_MS = 200;

/**
 * When messages hidden in one queue become visible, as far as this process knows (it sent
 * them delayed, or loaded a history that awaits them), with one timer at the earliest: an idle
 * poller backed off for many seconds receives them at their time, not at its next poll.
 */
export class VisibilityWake {
  /** Ascending, without duplicates. */
  private readonly times: number[] = [];
  private timer: NodeJS.Timeout | undefined;
  private armedAtMs: number | undefined;

  constructor(
    private readonly nowMs: () => number,
    private readonly onDue: () => void,
  ) {}

  /** How many times are still to come (for tests and diagnostics). */
  get size(): number {
    return this.times.length;
  }

  /** Calls `onDue` at `atMs` (epoch milliseconds), or at once when that has passed. */
  add(atMs: number): void {
    if (!Number.isFinite(atMs)) return;
    const index = this.insertionIndex(atMs);
    if (this.times[index] === atMs) return;
    this.times.splice(index, 0, atMs);
    if (index === 0) this.arm();
  }

  /** Forgets every time and disarms: the queue is no longer polled here. */
  clear(): void {
    this.times.length = 0;
    this.disarm();
  }

  private arm(): void {
    const next = this.times[0];
    if (next === undefined || next === this.armedAtMs) return;
    this.disarm();
    this.armedAtMs = next;
    // At least 1 ms: the timer and the clock can disagree by a tick, and `fire` re-arms then.
    const delayMs = Math.min(Math.max(next - this.nowMs(), 1), MAX_TIMEOUT_MS);
    this.timer = setTimeout(() => this.fire(), delayMs);
    // Waiting for a message must not keep a process alive that has nothing else to do.
    this.timer.unref();
  }

  private fire(): void {
    this.timer = undefined;
    this.armedAtMs = undefined;
    const nowMs = this.nowMs();
    // The timer may come a tick early, or a long wait may have been cut to MAX_TIMEOUT_MS.
    if ((this.times[0] ?? Infinity) > nowMs) return this.arm();
    let due = 0;
    while (due < this.times.length && this.times[due] <= nowMs + SHARED_WAKE_MS) due++;
    this.times.splice(0, due);
    this.arm();
    this.onDue();
  }

  private disarm(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.armedAtMs = undefined;
  }

  /** The first index whose time is not before `atMs`. */
  private insertionIndex(atMs: number): number {
    let low = 0;
    let high = this.times.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.times[middle] < atMs) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}
