import type { Clock } from "../clock";
import { poisonNotice, type TaskMessage } from "../task-hub";
import type { MessageQueue, ReceivedMessage } from "./message-queue";
import {
  poisonedActivityReason,
  poisonedActivityResponse,
  poisonedMessageReason,
  type PoisonTable,
} from "./poison-table";

export interface ReceivedMessageScreenOptions {
  poison: PoisonTable;
  /** A message delivered more often than this is poison. */
  maxDequeueCount: number;
  clock: Clock;
  /**
   * Where a poisoned activity's failure goes, and a delayed message that came up before its
   * time goes round again: the instance's control queue, whose poller learns when it shows.
   */
  sendToInstance(message: TaskMessage, nowMs: number): Promise<unknown>;
  reportError(error: unknown, context: string): void;
}

/**
 * What happens to a message between its receive and its work item: unreadable and poison ones
 * are set aside in the poison table, and those that came up before their time are sent again.
 */
export class ReceivedMessageScreen {
  constructor(private readonly options: ReceivedMessageScreenOptions) {}

  /**
   * The control messages that go on to a work item. A poison one goes on as a notice that fails
   * its orchestration; `isHeld` spares the redeliveries of messages this process already holds.
   */
  async screenControl(
    queue: MessageQueue,
    received: readonly ReceivedMessage[],
    isHeld: (messageId: string) => boolean,
  ): Promise<ReceivedMessage[]> {
    const { poison, maxDequeueCount } = this.options;
    const nowMs = this.options.clock.now().getTime();
    const accepted: ReceivedMessage[] = [];
    await Promise.all(
      received.map(async (m) => {
        try {
          if (!m.message) {
            await this.setAsideUnreadable(queue, m, nowMs);
          } else if (queue.needsHop(m, nowMs)) {
            await this.options.sendToInstance(m.message, nowMs);
            await queue.remove(m);
          } else if (m.dequeueCount > maxDequeueCount && !isHeld(m.messageId)) {
            const reason = poisonedMessageReason(m, maxDequeueCount, poison.client.tableName);
            await poison.record(m, reason, nowMs);
            accepted.push({ ...m, message: poisonNotice(m.message, reason) });
          } else accepted.push(m);
        } catch (error) {
          this.options.reportError(error, `screening a message of ${queue.name}`);
        }
      }),
    );
    return accepted;
  }

  /** Whether an activity request may run; a poison one fails back to its orchestration instead. */
  async screenActivity(queue: MessageQueue, received: ReceivedMessage): Promise<boolean> {
    const { poison, maxDequeueCount } = this.options;
    const nowMs = this.options.clock.now().getTime();
    if (!received.message) {
      await this.setAsideUnreadable(queue, received, nowMs);
      return false;
    }
    if (received.dequeueCount <= maxDequeueCount) return true;
    const request = received.message;
    const reason = poisonedActivityReason(
      request,
      received.dequeueCount,
      maxDequeueCount,
      poison.client.tableName,
    );
    await poison.record(received, reason, nowMs);
    await this.options.sendToInstance(poisonedActivityResponse(request, reason, nowMs), nowMs);
    await queue.remove(received);
    return false;
  }

  /** A message that could not be read is tried again while that may help, else kept as poison. */
  private async setAsideUnreadable(
    queue: MessageQueue,
    received: ReceivedMessage,
    nowMs: number,
  ): Promise<void> {
    if (received.retryable && received.dequeueCount <= this.options.maxDequeueCount) {
      this.options.reportError(
        new Error(received.error),
        `reading a message of ${queue.name}; it will be retried`,
      );
      await queue.abandon(received);
      return;
    }
    await this.options.poison.record(
      received,
      `Unreadable message: ${received.error ?? "unknown error"}`,
      nowMs,
    );
    await queue.remove(received);
  }
}
