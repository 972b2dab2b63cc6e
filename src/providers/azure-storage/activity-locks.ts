import type { ActivityWorkItem } from "../task-hub";
import { Waiters } from "../waiters";
import { BackoffPoller } from "./backoff-poller";
import type { MessageQueue, ReceivedMessage } from "./message-queue";

export interface ActivityLocksOptions {
  visibilityTimeoutMs: number;
  maxPollingIntervalMs: number;
  /** Decides whether a received request may run; false means it was dealt with (poison). */
  screen(received: ReceivedMessage): Promise<boolean>;
  onError(error: unknown): void;
}

interface Lock {
  received: ReceivedMessage;
  renewal: NodeJS.Timeout;
}

/**
 * The work-item queue seen from one process: polls only while somebody waits for an activity,
 * receives as many requests as there are waiters, and keeps each running request hidden from
 * other workers by renewing its visibility until it completes.
 */
export class ActivityLocks {
  private readonly waiters = new Waiters<ReceivedMessage>();
  /** Received but not yet handed out (a waiter gave up in between). */
  private readonly ready: ReceivedMessage[] = [];
  private readonly locks = new Map<ActivityWorkItem, Lock>();
  private readonly poller: BackoffPoller;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;
  private running = false;

  constructor(
    private readonly queue: MessageQueue,
    private readonly options: ActivityLocksOptions,
  ) {
    this.poller = new BackoffPoller(options.maxPollingIntervalMs);
  }

  start(): void {
    this.running = true;
    this.abort = new AbortController();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    this.waiters.releaseAll();
    await this.loop;
    for (const lock of this.locks.values()) clearInterval(lock.renewal);
    this.locks.clear();
    const unclaimed = this.ready.splice(0);
    await Promise.all(unclaimed.map((m) => this.queue.setVisibility(m, 0).catch(() => undefined)));
  }

  /** A request was just sent by this process: stop backing off. */
  wake(): void {
    this.poller.wake();
  }

  /** Whether an activity loop waits with nothing queued before it: a request sent now could go to it directly. */
  get hasIdleWaiter(): boolean {
    return this.running && this.waiters.size > 0 && this.ready.length === 0;
  }

  /** A request this process sent already claimed (see MessageQueue.sendClaimed): run it here. */
  offer(received: ReceivedMessage): void {
    if (!this.running || !this.waiters.serve(received)) this.ready.push(received);
  }

  async lockNext(signal?: AbortSignal): Promise<ActivityWorkItem | undefined> {
    if (!this.running || signal?.aborted) return undefined;
    const waiting = this.ready.shift() ?? this.waitForRequest(signal);
    const received = await waiting;
    if (!received || !received.message) return undefined;
    const workItem: ActivityWorkItem = { message: structuredClone(received.message) };
    // Four renewals per timeout: a busy process may run one late without losing the message.
    const renewal = setInterval(() => {
      this.queue
        .setVisibility(received, this.options.visibilityTimeoutMs)
        .catch((e: unknown) => this.options.onError(e));
    }, this.options.visibilityTimeoutMs / 4);
    renewal.unref();
    this.locks.set(workItem, { received, renewal });
    return workItem;
  }

  sourceOf(workItem: ActivityWorkItem): ReceivedMessage {
    const lock = this.locks.get(workItem);
    if (!lock) throw new Error("The activity work item is not locked by this hub.");
    return lock.received;
  }

  async complete(workItem: ActivityWorkItem, received: ReceivedMessage): Promise<void> {
    this.unlock(workItem);
    await this.queue.remove(received);
  }

  /** Stops renewing a request and forgets it, leaving it hidden in the queue for its new holder. */
  release(workItem: ActivityWorkItem): ReceivedMessage {
    const received = this.sourceOf(workItem);
    this.unlock(workItem);
    return received;
  }

  async abandon(workItem: ActivityWorkItem): Promise<void> {
    const received = this.sourceOf(workItem);
    this.unlock(workItem);
    await this.queue.abandon(received);
  }

  private unlock(workItem: ActivityWorkItem): void {
    const lock = this.locks.get(workItem);
    if (lock) clearInterval(lock.renewal);
    this.locks.delete(workItem);
  }

  private waitForRequest(signal?: AbortSignal): Promise<ReceivedMessage | undefined> {
    const waiting = this.waiters.wait(signal);
    this.loop ??= this.poll().finally(() => (this.loop = undefined));
    return waiting;
  }

  /** Polls while anybody waits; stops when nobody does, so an idle process costs nothing. */
  private async poll(): Promise<void> {
    const signal = this.abort.signal;
    while (this.running && this.waiters.size > 0) {
      let received: ReceivedMessage[];
      try {
        received = await this.queue.receive(this.waiters.size, this.options.visibilityTimeoutMs);
      } catch (error) {
        if (!this.running) return;
        this.options.onError(error);
        await this.poller.waitAfterEmptyPoll(signal);
        continue;
      }
      if (received.length === 0) {
        await this.poller.waitAfterEmptyPoll(signal);
        continue;
      }
      this.poller.reset();
      for (const message of received) {
        let runnable = false;
        try {
          runnable = await this.options.screen(message);
        } catch (error) {
          this.options.onError(error);
        }
        if (!runnable) continue;
        if (!this.running) await this.queue.setVisibility(message, 0).catch(() => undefined);
        else if (!this.waiters.serve(message)) this.ready.push(message);
      }
    }
  }
}
