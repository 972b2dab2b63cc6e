import { randomUUID } from "node:crypto";
import type { QueueClient } from "@azure/storage-queue";
import type { TaskMessage } from "../task-hub";
import type { LargePayloadStore } from "./large-payloads";
import {
  MAX_QUEUE_MESSAGE_BYTES,
  decodeMessageData,
  encodeLargeMessageWrapper,
  encodeMessageData,
  largeMessageBlobName,
  utf8ByteLength,
} from "./message-data";

/** Azure queues hide a message for at most 7 days; longer delays hop (see `needsHop`). */
export const MAX_VISIBILITY_DELAY_MS = 6 * 24 * 3600 * 1000;
/** Abandoned messages come back after 2^dequeueCount seconds, at most 10 minutes (as DTFx). */
const MAX_ABANDON_DELAY_S = 600;

/** A message taken from a queue and still hidden from other receivers. */
export interface ReceivedMessage {
  queueName: string;
  messageId: string;
  popReceipt: string;
  dequeueCount: number;
  insertedOnMs: number;
  /** When the queue shows the message to receivers again unless it is renewed (epoch ms). */
  hiddenUntilMs: number;
  /** The sender's process-wide counter, a tie-breaker within one second of insertion. */
  sequenceNumber: number;
  /** Undefined when the body could not be read; `error` says why. */
  message: TaskMessage | undefined;
  error?: string;
  /** Set when reading failed for a reason that may pass (a blob download), not a bad body. */
  retryable?: boolean;
  /** The stored body, kept for the poison table. */
  body: string;
}

/** The sender side's counter, as DTFx's process-wide MessageData.SequenceNumber. */
let nextSequenceNumber = 0;

/** The next value of the process-wide sequence number, for a message that is never sent. */
export function takeSequenceNumber(): number {
  return nextSequenceNumber++;
}

/**
 * One storage queue of the hub carrying MessageData envelopes: sends with the large-message
 * offload and delayed visibility, receives and decodes, deletes and abandons with back-off.
 */
export class MessageQueue {
  constructor(
    readonly client: QueueClient,
    private readonly payloads: LargePayloadStore,
    private readonly maxDelayMs = MAX_VISIBILITY_DELAY_MS,
  ) {}

  get name(): string {
    return this.client.name;
  }

  async create(): Promise<void> {
    await this.client.createIfNotExists();
  }

  async delete(): Promise<void> {
    await this.client.deleteIfExists();
  }

  /**
   * Sends a message; returns the queue's id for it, how long the queue hides it from when it
   * took it (0 unless delayed), and the blob that holds it when large.
   */
  async send(
    message: TaskMessage,
    nowMs: number,
  ): Promise<{ messageId: string; hiddenForMs: number; blobName?: string }> {
    const { body, blobName } = await this.encode(message, nextSequenceNumber++);
    const delayMs = message.visibleAt === undefined ? 0 : Date.parse(message.visibleAt) - nowMs;
    const visibilityTimeout = Math.ceil(Math.max(0, Math.min(this.maxDelayMs, delayMs)) / 1000);
    const response = await this.client.sendMessage(body, { messageTimeToLive: -1, visibilityTimeout });
    const sent = { messageId: response.messageId, hiddenForMs: visibilityTimeout * 1000 };
    return blobName === undefined ? sent : { ...sent, blobName };
  }

  /**
   * Sends a message already hidden for `visibilityTimeoutMs`, and returns it as if this process
   * had just received it: the sender processes it itself without a receive, and should it fail
   * to, the message shows up for everyone when the time runs out. Not for delayed messages.
   */
  async sendClaimed(
    message: TaskMessage,
    visibilityTimeoutMs: number,
  ): Promise<{ received: ReceivedMessage; blobName?: string }> {
    const sequenceNumber = nextSequenceNumber++;
    const { body, blobName } = await this.encode(message, sequenceNumber);
    const response = await this.client.sendMessage(body, {
      messageTimeToLive: -1,
      visibilityTimeout: Math.max(1, Math.round(visibilityTimeoutMs / 1000)),
    });
    const received: ReceivedMessage = {
      queueName: this.name,
      messageId: response.messageId,
      popReceipt: response.popReceipt,
      dequeueCount: 0,
      insertedOnMs: response.insertedOn.getTime(),
      hiddenUntilMs: response.nextVisibleOn.getTime(),
      sequenceNumber,
      message: structuredClone(message),
      body,
    };
    return { received, blobName };
  }

  /** The MessageData envelope, or a reference to the blob holding it when it is too large. */
  private async encode(
    message: TaskMessage,
    sequenceNumber: number,
  ): Promise<{ body: string; blobName?: string }> {
    const activityId = randomUUID();
    const body = encodeMessageData(message, { activityId, sequenceNumber });
    if (utf8ByteLength(body) <= MAX_QUEUE_MESSAGE_BYTES) return { body };
    const blobName = largeMessageBlobName(message.instance.instanceId, activityId, message.event.EventType);
    await this.payloads.uploadMessage(blobName, body);
    return { body: encodeLargeMessageWrapper(blobName), blobName };
  }

  async receive(count: number, visibilityTimeoutMs: number): Promise<ReceivedMessage[]> {
    const response = await this.client.receiveMessages({
      numberOfMessages: Math.max(1, Math.min(32, count)),
      visibilityTimeout: Math.max(1, Math.round(visibilityTimeoutMs / 1000)),
    });
    return Promise.all(
      response.receivedMessageItems.map(async (item): Promise<ReceivedMessage> => {
        const received: ReceivedMessage = {
          queueName: this.name,
          messageId: item.messageId,
          popReceipt: item.popReceipt,
          dequeueCount: item.dequeueCount,
          insertedOnMs: item.insertedOn.getTime(),
          hiddenUntilMs: item.nextVisibleOn.getTime(),
          sequenceNumber: 0,
          message: undefined,
          body: item.messageText,
        };
        let downloading = false;
        try {
          let decoded = decodeMessageData(item.messageText);
          if (decoded.kind === "blob") {
            downloading = true;
            const text = await this.payloads.downloadMessage(decoded.blobName);
            downloading = false;
            decoded = decodeMessageData(text);
          }
          if (decoded.kind === "blob") throw new Error("A large message blob holds another blob reference.");
          received.message = decoded.message;
          received.sequenceNumber = decoded.sequenceNumber;
        } catch (error) {
          received.error = error instanceof Error ? error.message : String(error);
          // A blob that is missing stays missing; a failed download may work next time.
          received.retryable = downloading && (error as { statusCode?: number }).statusCode !== 404;
        }
        return received;
      }),
    );
  }

  /** Removes a processed message; one that is already gone (processed elsewhere) is fine. */
  async remove(message: ReceivedMessage): Promise<void> {
    try {
      await this.client.deleteMessage(message.messageId, message.popReceipt);
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }

  /**
   * Makes a message visible again after `delayMs`, or else after a back-off that grows with its
   * dequeue count.
   */
  async abandon(message: ReceivedMessage, delayMs?: number): Promise<void> {
    const backOffMs = Math.min(MAX_ABANDON_DELAY_S, 2 ** message.dequeueCount) * 1000;
    await this.setVisibility(message, delayMs ?? backOffMs);
  }

  /** Hides a message for `delayMs` more; keeps the new pop receipt. */
  async setVisibility(message: ReceivedMessage, delayMs: number): Promise<void> {
    try {
      const response = await this.client.updateMessage(
        message.messageId,
        message.popReceipt,
        undefined,
        Math.max(0, Math.round(delayMs / 1000)),
      );
      if (response.popReceipt) message.popReceipt = response.popReceipt;
      if (response.nextVisibleOn) message.hiddenUntilMs = response.nextVisibleOn.getTime();
    } catch (error) {
      if (!isGone(error)) throw error;
    }
  }

  /**
   * True when the message came up before its time: it was sent with a delay longer than a
   * queue can hold, and must be sent again for the rest. A message that was not held back for
   * that reason may come up a little early only by the queue's whole-second rounding or clock
   * skew, and is taken as it is.
   */
  needsHop(received: ReceivedMessage, nowMs: number): boolean {
    const visibleAt = received.message?.visibleAt;
    if (visibleAt === undefined) return false;
    const remainingMs = Date.parse(visibleAt) - nowMs;
    const wasCapped = Date.parse(visibleAt) - received.insertedOnMs > this.maxDelayMs;
    return remainingMs > (wasCapped ? 0 : 1000);
  }
}

/** 404 (message deleted) and 400 pop-receipt mismatches: someone else holds or finished it. */
export function isGone(error: unknown): boolean {
  const status = (error as { statusCode?: number } | null)?.statusCode;
  return status === 404 || status === 400;
}
