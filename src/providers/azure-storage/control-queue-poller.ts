import { setTimeout as sleep } from "node:timers/promises";
import { BackoffPoller } from "./backoff-poller";
import { LocalSends } from "./local-sends";
import type { MessageQueue, ReceivedMessage } from "./message-queue";
import { VisibilityWake } from "./visibility-wake";

/**
 * How long after a message's expected visibility its poll comes: the queue's clock and this
 * process's may disagree by a little, and a poll that comes too early only restarts the ramp.
 */
const VISIBILITY_MARGIN_MS = 50;

export interface ControlQueuePollerOptions {
  batchSize: number;
  visibilityTimeoutMs: number;
  maxPollingIntervalMs: number;
  /** The current time (epoch milliseconds) on the hub's clock. */
  nowMs(): number;
  /** True while the process holds as many received messages as it should. */
  isBufferFull(): boolean;
  /** Takes a non-empty batch of received messages. */
  deliver(received: ReceivedMessage[]): Promise<void>;
  onError(error: unknown, context: string): void;
}

/**
 * The receive loop of one control queue this process owns: batches while there is work, backs
 * off when idle, wakes at once when this process sends to the queue, and at the time a message
 * it knows of becomes visible.
 */
export class ControlQueuePoller {
  /** What this process sent to the queue and has not received back yet. */
  readonly sends = new LocalSends();
  private readonly backoff: BackoffPoller;
  private readonly visibilityWake: VisibilityWake;
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    readonly queue: MessageQueue,
    private readonly options: ControlQueuePollerOptions,
  ) {
    this.backoff = new BackoffPoller(options.maxPollingIntervalMs);
    this.visibilityWake = new VisibilityWake(options.nowMs, () => this.backoff.wake());
  }

  start(): void {
    this.loop = this.poll();
  }

  /** Ends the loop; a receive that was under way gives its messages back at once. */
  async stop(): Promise<void> {
    this.visibilityWake.clear();
    this.abort.abort();
    await this.loop;
  }

  /** This process sent a message to the queue: receive it now rather than after the back-off. */
  sent(instanceId: string, messageId: string, nowMs: number): void {
    this.sends.sent(instanceId, messageId, nowMs);
    this.backoff.wake();
  }

  /**
   * A message hidden in the queue becomes visible at `visibleAtMs` (epoch milliseconds): the
   * poller receives it then, however far it has backed off. One timer serves all such times.
   */
  expectVisibleAt(visibleAtMs: number): void {
    this.visibilityWake.add(visibleAtMs + VISIBILITY_MARGIN_MS);
  }

  private async poll(): Promise<void> {
    const { queue, options } = this;
    const signal = this.abort.signal;
    while (!signal.aborted) {
      if (options.isBufferFull()) {
        await sleep(100, undefined, { signal }).catch(() => undefined);
        continue;
      }
      let received: ReceivedMessage[];
      try {
        received = await queue.receive(options.batchSize, options.visibilityTimeoutMs);
      } catch (error) {
        if (!signal.aborted) options.onError(error, `polling ${queue.name}`);
        await sleep(1000, undefined, { signal }).catch(() => undefined);
        continue;
      }
      for (const m of received)
        if (m.message) this.sends.received(m.message.instance.instanceId, m.messageId);
      if (signal.aborted) {
        await Promise.all(received.map((m) => queue.setVisibility(m, 0).catch(() => undefined)));
        return;
      }
      if (received.length === 0) {
        await this.backoff.waitAfterEmptyPoll(signal);
        continue;
      }
      this.backoff.reset();
      await options.deliver(received);
    }
  }
}
