import type { TaskMessage } from "../task-hub";

/** A message as it waits in a queue: stored as a copy, with its visibility parsed once. */
export interface QueuedMessage {
  readonly message: TaskMessage;
  /** Epoch milliseconds; messages without `visibleAt` are visible from the start (0). */
  readonly visibleAtMs: number;
}

export function toQueuedMessage(message: TaskMessage): QueuedMessage {
  if (message.visibleAt === undefined) return { message, visibleAtMs: 0 };
  const visibleAtMs = Date.parse(message.visibleAt);
  if (Number.isNaN(visibleAtMs)) throw new TypeError(`Invalid visibleAt: '${message.visibleAt}'.`);
  return { message, visibleAtMs };
}

export function isVisible(queued: QueuedMessage, nowMs: number): boolean {
  return queued.visibleAtMs <= nowMs;
}

/** Rejects a message a real queue could not route, before anything of its batch is written. */
export function assertRoutable(message: TaskMessage): void {
  if (typeof message.instance?.instanceId !== "string" || message.instance.instanceId === "") {
    throw new TypeError("A task message needs a target instance id.");
  }
  toQueuedMessage(message);
}
