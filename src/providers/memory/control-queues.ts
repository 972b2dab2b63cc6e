import { HistoryEventType } from "../../protocol/history";
import type { TaskMessage } from "../task-hub";
import { isVisible, toQueuedMessage, type QueuedMessage } from "./queued-message";

/** The messages one orchestration work item takes from an instance's queue. */
export interface ControlBatch {
  instanceId: string;
  messages: TaskMessage[];
}

interface DelayedEntry {
  atMs: number;
  instanceId: string;
}

/**
 * The control messages of every instance, and which instances may be handed out next.
 * An instance is "ready" when it has a visible message and no work item holds it; ready
 * instances are served first come, first served, so a busy instance cannot starve the others.
 */
export class ControlQueues {
  /** Per instance, in arrival order. */
  private readonly pending = new Map<string, QueuedMessage[]>();
  /** Per instance: messages a checkpoint could not process yet, waiting for the next message. */
  private readonly deferred = new Map<string, TaskMessage[]>();
  private readonly locked = new Set<string>();
  /** Insertion-ordered, so it doubles as the FIFO of ready instances. */
  private readonly ready = new Set<string>();
  /** Future visibility times, earliest first, so releasing them does not scan every queue. */
  private delayed: DelayedEntry[] = [];

  enqueue(message: TaskMessage, nowMs: number): void {
    const queued = toQueuedMessage(message);
    const instanceId = message.instance.instanceId;
    const queue = this.pending.get(instanceId);
    if (queue) queue.push(queued);
    else this.pending.set(instanceId, [queued]);
    if (isVisible(queued, nowMs)) this.markReadyIfEligible(instanceId, nowMs);
    else this.addDelayed({ atMs: queued.visibleAtMs, instanceId });
  }

  /** Makes the instances whose delayed messages are due by `nowMs` ready. */
  releaseDue(nowMs: number): void {
    let due = 0;
    while (due < this.delayed.length && this.delayed[due].atMs <= nowMs) due++;
    if (due === 0) return;
    for (const entry of this.delayed.splice(0, due)) this.markReadyIfEligible(entry.instanceId, nowMs);
  }

  /** Epoch milliseconds when the next delayed message becomes visible. */
  nextDelayedMs(): number | undefined {
    return this.delayed[0]?.atMs;
  }

  /** Locks the next ready instance and takes its visible messages (deferred ones included). */
  takeNext(nowMs: number): ControlBatch | undefined {
    this.releaseDue(nowMs);
    for (const instanceId of this.ready) {
      this.ready.delete(instanceId);
      if (!this.isEligible(instanceId, nowMs)) continue;
      this.locked.add(instanceId);
      return { instanceId, messages: this.takeBatch(instanceId, nowMs) };
    }
    return undefined;
  }

  /**
   * Releases a locked instance. `requeued` messages go back in front of the queue (abandon),
   * visible again at `requeuedAtMs` (at once without it); `deferred` ones wait for the next
   * message that arrives for the instance.
   */
  unlock(
    instanceId: string,
    nowMs: number,
    changes: { requeued?: TaskMessage[]; requeuedAtMs?: number; deferred?: TaskMessage[] },
  ): void {
    this.locked.delete(instanceId);
    if (changes.requeued && changes.requeued.length > 0) {
      const visibleAtMs = changes.requeuedAtMs ?? 0;
      const back = changes.requeued.map((message): QueuedMessage => ({ message, visibleAtMs }));
      this.pending.set(instanceId, [...back, ...(this.pending.get(instanceId) ?? [])]);
      if (visibleAtMs > nowMs) this.addDelayed({ atMs: visibleAtMs, instanceId });
    }
    if (changes.deferred && changes.deferred.length > 0) {
      this.deferred.set(instanceId, [...(this.deferred.get(instanceId) ?? []), ...changes.deferred]);
    }
    this.markReadyIfEligible(instanceId, nowMs);
  }

  /** Drops the instance's queued and deferred messages; a work item that holds it keeps its own. */
  purge(instanceId: string): void {
    this.pending.delete(instanceId);
    this.deferred.delete(instanceId);
    this.ready.delete(instanceId);
    this.delayed = this.delayed.filter((entry) => entry.instanceId !== instanceId);
  }

  clear(): void {
    this.pending.clear();
    this.deferred.clear();
    this.locked.clear();
    this.ready.clear();
    this.delayed = [];
  }

  isLocked(instanceId: string): boolean {
    return this.locked.has(instanceId);
  }

  get lockedCount(): number {
    return this.locked.size;
  }

  /** Whether some unlocked instance has a visible message (after `releaseDue`). */
  get hasReady(): boolean {
    return this.ready.size > 0;
  }

  /** Queued messages, delayed and deferred ones included, not counting those held by work items. */
  get messageCount(): number {
    let count = 0;
    for (const queue of this.pending.values()) count += queue.length;
    for (const queue of this.deferred.values()) count += queue.length;
    return count;
  }

  /**
   * Takes the visible messages in arrival order. As in DurableTask.AzureStorage, an
   * ExecutionStarted always opens a new batch, so one work item never mixes two executions.
   * Deferred messages come first (they arrived earlier), but after an ExecutionStarted that
   * opens the batch: they are usually waiting for exactly that execution to begin.
   */
  private takeBatch(instanceId: string, nowMs: number): TaskMessage[] {
    const queue = this.pending.get(instanceId) ?? [];
    const visible = queue.filter((queued) => isVisible(queued, nowMs));
    const nextStart = visible.findIndex((queued, index) => index > 0 && isExecutionStarted(queued.message));
    const taken = nextStart < 0 ? visible : visible.slice(0, nextStart);
    const takenSet = new Set(taken);
    const rest = queue.filter((queued) => !takenSet.has(queued));
    if (rest.length > 0) this.pending.set(instanceId, rest);
    else this.pending.delete(instanceId);

    const deferred = this.deferred.get(instanceId) ?? [];
    this.deferred.delete(instanceId);
    const messages = taken.map((queued) => queued.message);
    if (messages.length > 0 && isExecutionStarted(messages[0])) {
      return [messages[0], ...deferred, ...messages.slice(1)];
    }
    return [...deferred, ...messages];
  }

  private isEligible(instanceId: string, nowMs: number): boolean {
    if (this.locked.has(instanceId)) return false;
    return this.pending.get(instanceId)?.some((queued) => isVisible(queued, nowMs)) ?? false;
  }

  private markReadyIfEligible(instanceId: string, nowMs: number): void {
    if (!this.ready.has(instanceId) && this.isEligible(instanceId, nowMs)) this.ready.add(instanceId);
  }

  private addDelayed(entry: DelayedEntry): void {
    // Binary search keeps the list sorted; entries with equal times stay in arrival order.
    let low = 0;
    let high = this.delayed.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.delayed[middle].atMs <= entry.atMs) low = middle + 1;
      else high = middle;
    }
    this.delayed.splice(low, 0, entry);
  }
}

function isExecutionStarted(message: TaskMessage): boolean {
  return message.event.EventType === HistoryEventType.ExecutionStarted;
}
