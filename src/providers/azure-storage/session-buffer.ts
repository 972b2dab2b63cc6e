import type { ReceivedMessage } from "./message-queue";

/** The messages one orchestration work item takes for an instance. */
export interface SessionBatch {
  instanceId: string;
  messages: ReceivedMessage[];
}

/**
 * Control-queue messages received by this process and not yet consumed, per instance. One work
 * item at a time holds an instance; what arrives meanwhile waits for the next one. Deferred
 * messages stay undeleted in their queue and join the next batch of their instance.
 */
export class SessionBuffer {
  private readonly pending = new Map<string, ReceivedMessage[]>();
  private readonly deferred = new Map<string, ReceivedMessage[]>();
  private readonly locked = new Set<string>();
  /** Insertion-ordered: the FIFO of instances that can be handed out. */
  private readonly ready = new Set<string>();
  /** Every held message by queue message id, to spot redeliveries. */
  private readonly byMessageId = new Map<string, ReceivedMessage>();

  /**
   * Adds received messages. A message already held (its visibility ran out and it came back)
   * only refreshes the held copy's pop receipt, so the later delete still works.
   */
  add(messages: readonly ReceivedMessage[]): void {
    for (const received of messages) {
      const held = this.byMessageId.get(received.messageId);
      if (held) {
        held.popReceipt = received.popReceipt;
        held.dequeueCount = received.dequeueCount;
        held.hiddenUntilMs = received.hiddenUntilMs;
        continue;
      }
      const instanceId = received.message?.instance.instanceId;
      if (instanceId === undefined) continue;
      this.byMessageId.set(received.messageId, received);
      const queue = this.pending.get(instanceId);
      if (queue) queue.push(received);
      else this.pending.set(instanceId, [received]);
      if (!this.locked.has(instanceId)) this.ready.add(instanceId);
    }
  }

  /**
   * Locks the next ready instance and takes its messages, deferred ones first. Instances whose
   * queue is not `settled` stay ready for a later call.
   */
  takeNext(settled: (instanceId: string) => boolean = () => true): SessionBatch | undefined {
    for (const instanceId of this.ready) {
      const fresh = this.pending.get(instanceId);
      if (fresh && fresh.length > 0 && !settled(instanceId)) continue;
      this.ready.delete(instanceId);
      if (!fresh || fresh.length === 0 || this.locked.has(instanceId)) continue;
      this.pending.delete(instanceId);
      const parked = this.deferred.get(instanceId) ?? [];
      this.deferred.delete(instanceId);
      this.locked.add(instanceId);
      return { instanceId, messages: [...parked, ...sortByArrival(fresh)] };
    }
    return undefined;
  }

  /**
   * A work item ended: `consumed` messages are forgotten, `deferred` ones wait for the next
   * message of the instance, or are offered again at once with `retryDeferred`.
   */
  unlock(
    instanceId: string,
    consumed: readonly ReceivedMessage[],
    deferred: readonly ReceivedMessage[],
    retryDeferred = false,
  ): void {
    this.locked.delete(instanceId);
    for (const message of consumed) this.byMessageId.delete(message.messageId);
    if (deferred.length > 0 && retryDeferred) {
      this.pending.set(instanceId, [...deferred, ...(this.pending.get(instanceId) ?? [])]);
    } else if (deferred.length > 0) {
      this.deferred.set(instanceId, [...(this.deferred.get(instanceId) ?? []), ...deferred]);
    }
    if ((this.pending.get(instanceId)?.length ?? 0) > 0) this.ready.add(instanceId);
  }

  /** Puts a batch that could not be handed out back in front, as if never taken. */
  putBack(batch: SessionBatch): void {
    this.locked.delete(batch.instanceId);
    this.pending.set(batch.instanceId, [...batch.messages, ...(this.pending.get(batch.instanceId) ?? [])]);
    this.ready.add(batch.instanceId);
  }

  /** Every message held here, handed out or not. */
  held(): IterableIterator<ReceivedMessage> {
    return this.byMessageId.values();
  }

  /** Whether a queue message is held here (in a batch, a work item or parked). */
  holds(messageId: string): boolean {
    return this.byMessageId.has(messageId);
  }

  /**
   * Forgets, and returns, every unlocked message of the instances this process no longer owns
   * (those of a partition it gave up), whichever queue each message is in.
   */
  dropInstances(gone: (instanceId: string) => boolean): ReceivedMessage[] {
    const dropped: ReceivedMessage[] = [];
    for (const map of [this.pending, this.deferred]) {
      for (const [instanceId, messages] of map) {
        if (!gone(instanceId)) continue;
        map.delete(instanceId);
        this.ready.delete(instanceId);
        for (const m of messages) {
          this.byMessageId.delete(m.messageId);
          dropped.push(m);
        }
      }
    }
    return dropped;
  }

  /** Forgets everything; the queues keep the messages, visible again after their timeout. */
  clear(): void {
    this.pending.clear();
    this.deferred.clear();
    this.locked.clear();
    this.ready.clear();
    this.byMessageId.clear();
  }

  /** Messages held in memory and not yet handed out (back-pressure for the pollers). */
  get bufferedCount(): number {
    let count = 0;
    for (const messages of this.pending.values()) count += messages.length;
    return count;
  }

  get lockedCount(): number {
    return this.locked.size;
  }

  get hasReady(): boolean {
    return this.ready.size > 0;
  }
}

/** Queue order is only roughly FIFO: sort by insertion time, then by the sender's counter. */
function sortByArrival(messages: ReceivedMessage[]): ReceivedMessage[] {
  return [...messages].sort((a, b) => a.insertedOnMs - b.insertedOnMs || a.sequenceNumber - b.sequenceNumber);
}
