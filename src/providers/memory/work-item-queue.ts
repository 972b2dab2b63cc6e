import type { TaskMessage } from "../task-hub";
import { isVisible, toQueuedMessage, type QueuedMessage } from "./queued-message";

/** The shared FIFO of activity requests (the `workitems` queue). */
export class WorkItemQueue {
  private queue: QueuedMessage[] = [];
  /** Requests that came with a visibleAt; while there are none, looking for the next one is free. */
  private delayedCount = 0;

  enqueue(message: TaskMessage): void {
    const queued = toQueuedMessage(message);
    if (queued.visibleAtMs > 0) this.delayedCount++;
    this.queue.push(queued);
  }

  /** Removes and returns the oldest visible request. */
  takeNext(nowMs: number): TaskMessage | undefined {
    const index = this.queue.findIndex((queued) => isVisible(queued, nowMs));
    if (index < 0) return undefined;
    const [taken] = this.queue.splice(index, 1);
    if (taken.visibleAtMs > 0) this.delayedCount--;
    return taken.message;
  }

  /** Puts an abandoned request back in front, visible at once. */
  requeue(message: TaskMessage): void {
    this.queue.unshift({ message, visibleAtMs: 0 });
  }

  hasVisible(nowMs: number): boolean {
    return this.queue.some((queued) => isVisible(queued, nowMs));
  }

  /** Epoch milliseconds when the next delayed request becomes visible. */
  nextDelayedMs(nowMs: number): number | undefined {
    if (this.delayedCount === 0) return undefined;
    let next: number | undefined;
    for (const { visibleAtMs } of this.queue) {
      if (visibleAtMs > nowMs && (next === undefined || visibleAtMs < next)) next = visibleAtMs;
    }
    return next;
  }

  get size(): number {
    return this.queue.length;
  }

  clear(): void {
    this.queue = [];
    this.delayedCount = 0;
  }
}
