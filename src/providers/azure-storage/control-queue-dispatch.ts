import { setTimeout as sleep } from "node:timers/promises";
import type { Clock } from "../clock";
import { Waiters } from "../waiters";
import { mapWithConcurrency } from "./concurrency";
import { ControlQueuePoller } from "./control-queue-poller";
import type { MessageQueue, ReceivedMessage } from "./message-queue";
import type { ReceivedMessageScreen } from "./received-message-screen";
import { SessionBuffer, type SessionBatch } from "./session-buffer";

/** How soon an instance held back for its own sends is offered again. */
const HELD_DISPATCH_DELAY_MS = 50;

export interface ControlQueueSettings {
  /** Messages per control-queue receive. */
  readonly controlQueueBatchSize: number;
  /** Received control messages held in memory before the pollers pause. */
  readonly controlQueueBufferThreshold: number;
  readonly controlQueueVisibilityTimeoutMs: number;
  /** The longest idle wait between polls of a queue. */
  readonly maxQueuePollingIntervalMs: number;
}

export interface ControlQueueDispatcherOptions {
  settings: ControlQueueSettings;
  /** Any queue of the hub by name: a held message may be an activity request standing for its result. */
  queueNamed(queueName: string): MessageQueue;
  controlQueueOf(instanceId: string): MessageQueue;
  screen: ReceivedMessageScreen;
  /** The work items out now, each with the batch it took, until its commit ends. */
  openSessions(): Iterable<{ readonly batch: SessionBatch }>;
  /** Drops what the hub cached of instances' histories and rows. */
  forgetSessions(): void;
  /** False once the hub stops: no new pollers then, and no wait for work items in flight. */
  isRunning(): boolean;
  clock: Clock;
  reportError(error: unknown, context: string): void;
}

/**
 * The control queues this process owns, seen from the orchestration work items: polls each
 * one, holds what it receives per instance, and hands instances ready to run to the lockers
 * waiting for one.
 */
export class ControlQueueDispatcher {
  private readonly pollers = new Map<string, ControlQueuePoller>();
  private readonly buffer = new SessionBuffer();
  private readonly orchestrationWaiters = new Waiters<SessionBatch>();
  private renewal: NodeJS.Timeout | undefined;
  private heldDispatch: NodeJS.Timeout | undefined;

  constructor(private readonly options: ControlQueueDispatcherOptions) {}

  /** Starts keeping held messages hidden; each queue is polled from its `startPolling` on. */
  start(): void {
    const renewEveryMs = this.options.settings.controlQueueVisibilityTimeoutMs / 3;
    this.renewal = setInterval(() => void this.renewHeldMessages(renewEveryMs), renewEveryMs);
    this.renewal.unref();
  }

  /** Ends the renewals and sends waiting lockers away empty; the pollers run until stopped. */
  stop(): void {
    clearInterval(this.renewal);
    clearTimeout(this.heldDispatch);
    this.heldDispatch = undefined;
    this.orchestrationWaiters.releaseAll();
  }

  /** Stops every queue still polled, each as `stopPolling` does. */
  stopPollingAll(): Promise<unknown> {
    return Promise.all([...this.pollers.keys()].map((queueName) => this.stopPolling(queueName)));
  }

  /** Forgets every held message; the queues keep them, visible again after their timeout. */
  clear(): void {
    this.buffer.clear();
  }

  /** Starts dequeuing a queue whose partition this process has just taken. */
  startPolling(queueName: string): void {
    if (this.pollers.has(queueName) || !this.options.isRunning()) return;
    const { settings, screen } = this.options;
    const poller = new ControlQueuePoller(this.options.queueNamed(queueName), {
      batchSize: settings.controlQueueBatchSize,
      visibilityTimeoutMs: settings.controlQueueVisibilityTimeoutMs,
      maxPollingIntervalMs: settings.maxQueuePollingIntervalMs,
      nowMs: () => this.options.clock.now().getTime(),
      isBufferFull: () => this.buffer.bufferedCount >= settings.controlQueueBufferThreshold,
      deliver: async (received) => {
        this.buffer.add(await screen.screenControl(poller.queue, received, (id) => this.buffer.holds(id)));
        this.dispatch();
      },
      onError: this.options.reportError,
    });
    poller.start();
    this.pollers.set(queueName, poller);
  }

  /** Stops dequeuing a queue, waits for its work items in flight, and hands back what is held. */
  async stopPolling(queueName: string): Promise<void> {
    const poller = this.pollers.get(queueName);
    if (!poller) return;
    this.pollers.delete(queueName);
    await poller.stop();
    const deadline = Date.now() + this.options.settings.controlQueueVisibilityTimeoutMs;
    while (this.options.isRunning() && this.hasSessionsOn(queueName) && Date.now() < deadline) {
      await sleep(50);
    }
    const held = this.buffer.dropInstances((id) => this.options.controlQueueOf(id).name === queueName);
    // Another process may write the queue's instances from now on.
    this.options.forgetSessions();
    // Visible again at once, so the next owner need not wait out the visibility timeout.
    await Promise.all(
      held.map((m) =>
        this.options
          .queueNamed(m.queueName)
          .setVisibility(m, 0)
          .catch(() => undefined),
      ),
    );
  }

  /** Whether this process polls the queue: it owns the partition and is not letting it go. */
  isPolling(queueName: string): boolean {
    return this.pollers.has(queueName);
  }

  /** This process sent a message to a queue: if it polls the queue, it receives it now. */
  sent(queueName: string, instanceId: string, messageId: string): void {
    this.pollers.get(queueName)?.sent(instanceId, messageId, this.options.clock.now().getTime());
  }

  /**
   * A message hidden in a queue becomes visible at `visibleAtMs`: if this process polls the
   * queue, it receives the message then rather than at its next idle poll. Forgotten when the
   * queue's partition goes; its next owner learns the time only if it loads the history.
   */
  expectVisibleAt(queueName: string, visibleAtMs: number): void {
    this.pollers.get(queueName)?.expectVisibleAt(visibleAtMs);
  }

  /** The next instance ready to run, locked until its work item unlocks or releases it. */
  takeNextBatch(): SessionBatch | undefined {
    return this.buffer.takeNext(this.isSettled);
  }

  /** Parks a locker until a batch is ready; undefined when `signal` aborts or on `stop`. */
  waitForBatch(signal?: AbortSignal): Promise<SessionBatch | undefined> {
    return this.orchestrationWaiters.wait(signal);
  }

  /** Holds received messages (a redelivery only refreshes the copy held) and offers them. */
  deliver(messages: readonly ReceivedMessage[]): void {
    this.buffer.add(messages);
    this.dispatch();
  }

  /** A work item let go of its instance (see `SessionBuffer.unlock`): what is ready goes out. */
  unlock(
    instanceId: string,
    consumed: readonly ReceivedMessage[],
    deferred: readonly ReceivedMessage[],
    retryDeferred: boolean,
  ): void {
    this.buffer.unlock(instanceId, consumed, deferred, retryDeferred);
    this.dispatch();
  }

  /**
   * Gives a batch back to its queues, visible again after `delayMs` or else the DTFx back-off,
   * and forgets it here.
   */
  async releaseBatch(
    batch: SessionBatch,
    messages: readonly ReceivedMessage[],
    delayMs?: number,
  ): Promise<void> {
    this.buffer.unlock(batch.instanceId, messages, []);
    await Promise.all(
      messages.map((m) =>
        this.options
          .queueNamed(m.queueName)
          .abandon(m, delayMs)
          .catch((error: unknown) => this.options.reportError(error, "abandon")),
      ),
    );
    this.dispatch();
  }

  /** Offers a batch again at once, as if it had never been taken; its messages stay hidden. */
  retryBatch(batch: SessionBatch): void {
    this.buffer.putBack(batch);
    this.dispatch();
  }

  private hasSessionsOn(queueName: string): boolean {
    for (const session of this.options.openSessions()) {
      if (this.options.controlQueueOf(session.batch.instanceId).name === queueName) return true;
    }
    return false;
  }

  /**
   * Whether everything this process sent to a queue has been received. Until then its instances
   * are held back, so that messages sent together (a start and its first events, a burst of
   * activity results) reach one work item rather than trickling into several.
   */
  private isSettled = (instanceId: string): boolean => {
    const poller = this.pollers.get(this.options.controlQueueOf(instanceId).name);
    if (poller === undefined) return true;
    // A full buffer stops the receives that would bring the rest: waiting for them would stall.
    if (this.buffer.bufferedCount >= this.options.settings.controlQueueBufferThreshold) return true;
    if (poller.sends.isSettled(instanceId, this.options.clock.now().getTime())) return true;
    this.dispatchLater();
    return false;
  };

  /**
   * An instance held back for its own sends is offered again shortly even if nothing else
   * happens: the hold has a time limit, and a receive is not the only thing that ends it.
   */
  private dispatchLater(): void {
    if (this.heldDispatch) return;
    this.heldDispatch = setTimeout(() => {
      this.heldDispatch = undefined;
      this.dispatch();
    }, HELD_DISPATCH_DELAY_MS);
    this.heldDispatch.unref();
  }

  /**
   * Keeps the messages this process holds hidden from other receivers. A held message that
   * came up again would be received once more, and every receive counts towards the poison
   * limit, so an event held for a suspended instance for hours must not lapse.
   */
  private async renewHeldMessages(marginMs: number): Promise<void> {
    const dueMs = this.options.clock.now().getTime() + marginMs;
    const due = [...this.buffer.held()].filter((m) => m.hiddenUntilMs <= dueMs);
    await mapWithConcurrency(
      due.map(
        (m) => () =>
          this.options
            .queueNamed(m.queueName)
            .setVisibility(m, this.options.settings.controlQueueVisibilityTimeoutMs)
            .catch((error: unknown) => this.options.reportError(error, "renewing a held message")),
      ),
      32,
    );
  }

  /** Hands ready instances to parked lockers. */
  private dispatch(): void {
    while (this.orchestrationWaiters.size > 0) {
      const batch = this.takeNextBatch();
      if (!batch) return;
      if (!this.orchestrationWaiters.serve(batch)) {
        this.buffer.putBack(batch);
        return;
      }
    }
  }
}
