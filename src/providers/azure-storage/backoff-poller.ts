/**
 * The idle wait of one queue poller: randomised exponential back-off from `minMs` up to
 * `maxMs` after empty polls, cut short when this process puts a message on the queue.
 */
export class BackoffPoller {
  private emptyPolls = 0;
  private wakeCurrent: (() => void) | undefined;
  /** A wake that came while nobody waited still counts, so a send never falls in a gap. */
  private woken = false;

  constructor(
    private readonly maxMs: number,
    private readonly minMs = 10,
  ) {}

  /** The next wait after `emptyPolls` empty polls in a row. */
  nextDelayMs(): number {
    if (this.emptyPolls === 0) return 0;
    const growth = this.minMs * 2 ** Math.min(this.emptyPolls - 1, 20) * (0.8 + Math.random() * 0.4);
    return Math.min(this.maxMs, this.minMs + growth);
  }

  /** A poll found messages: poll again at once. */
  reset(): void {
    this.emptyPolls = 0;
  }

  /** Someone in this process enqueued a message: end the current wait, and the back-off. */
  wake(): void {
    this.emptyPolls = 0;
    this.woken = true;
    this.wakeCurrent?.();
  }

  /** Waits after an empty poll; resolves early on `wake` or when `signal` aborts. */
  async waitAfterEmptyPoll(signal: AbortSignal): Promise<void> {
    this.emptyPolls++;
    if (this.woken) {
      this.woken = false;
      this.emptyPolls = 0;
      return;
    }
    const delayMs = this.nextDelayMs();
    if (signal.aborted) return;
    await new Promise<void>((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        this.wakeCurrent = undefined;
        resolve();
      };
      const timer = setTimeout(done, delayMs);
      signal.addEventListener("abort", done);
      this.wakeCurrent = done;
    });
    this.woken = false;
  }
}
