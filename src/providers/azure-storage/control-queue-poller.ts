import { setTimeout as sleep } from "node:timers/promises";
import { BackoffPoller } from "./backoff-poller";
import { LocalSends } from "./local-sends";
import type { MessageQueue, ReceivedMessage } from "./message-queue";

export interface ControlQueuePollerOptions {
  batchSize: number;
  visibilityTimeoutMs: number;
  maxPollingIntervalMs: number;
  /** True while the process holds as many received messages as it should. */
  isBufferFull(): boolean;
  /** Takes a non-empty batch of received messages. */
  deliver(received: ReceivedMessage[]): Promise<void>;
  onError(error: unknown, context: string): void;
}

/**
 * The receive loop of one control queue this process owns: batches while there is work, backs
 * off when idle, and wakes at once when this process sends to the queue.
 */
export class ControlQueuePoller {
  /** What this process sent to the queue and has not received back yet. */
  readonly sends = new LocalSends();
  private readonly backoff: BackoffPoller;
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  constructor(
    readonly queue: MessageQueue,
    private readonly options: ControlQueuePollerOptions,
  ) {
    this.backoff = new BackoffPoller(options.maxPollingIntervalMs);
  }

  start(): void {
    this.loop = this.poll();
  }

  /** Ends the loop; a receive that was under way gives its messages back at once. */
  async stop(): Promise<void> {
    this.abort.abort();
    await this.loop;
  }

  /** This process sent a message to the queue: receive it now rather than after the back-off. */
  sent(instanceId: string, messageId: string, nowMs: number): void {
    this.sends.sent(instanceId, messageId, nowMs);
    this.backoff.wake();
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
