import { randomUUID } from "node:crypto";
import { odata, type TableClient } from "@azure/data-tables";
import { HistoryEventType } from "../../protocol/history";
import { poisonFailureDetails, type TaskMessage } from "../task-hub";
import type { LargePayloadStore } from "./large-payloads";
import type { ReceivedMessage } from "./message-queue";
import { escapePartitionKey } from "./names";

/** Keeps a large body out of the row, as the History table does with its payloads. */
const MAX_INLINE_BODY_CHARS = 30 * 1024;

/**
 * The `{Hub}Poison` table: messages taken out of circulation because they were delivered too
 * often without being consumed, with why, so an operator can look at them and nothing is lost.
 */
export class PoisonTable {
  constructor(
    readonly client: TableClient,
    private readonly payloads: LargePayloadStore,
  ) {}

  async record(received: ReceivedMessage, reason: string, nowMs: number): Promise<void> {
    const instanceId = received.message?.instance.instanceId ?? "";
    const entity: Record<string, unknown> & { partitionKey: string; rowKey: string } = {
      partitionKey: escapePartitionKey(instanceId),
      rowKey: received.messageId || randomUUID(),
      Queue: received.queueName,
      MessageId: received.messageId,
      DequeueCount: received.dequeueCount,
      Reason: reason,
      InsertedTime: new Date(received.insertedOnMs),
      PoisonedTime: new Date(nowMs),
    };
    if (received.body.length <= MAX_INLINE_BODY_CHARS) entity.Body = received.body;
    else {
      const blobName = `${instanceId || "unknown"}/poison-${received.messageId}.json.gz`;
      await this.payloads.uploadMessage(blobName, received.body);
      entity.BodyBlobName = blobName;
    }
    await this.client.upsertEntity(entity, "Replace");
  }

  /** All recorded messages of an instance ("" for unreadable ones), for operators and tests. */
  async list(instanceId: string): Promise<Record<string, unknown>[]> {
    const rows: Record<string, unknown>[] = [];
    const filter = odata`PartitionKey eq ${escapePartitionKey(instanceId)}`;
    for await (const row of this.client.listEntities({ queryOptions: { filter } })) {
      rows.push(row);
    }
    return rows;
  }
}

/** Why a control message became poison, as the failed instance's status will say. */
export function poisonedMessageReason(received: ReceivedMessage, limit: number, table: string): string {
  const kind = received.message ? HistoryEventType[received.message.event.EventType] : "unreadable";
  return (
    `A message for this instance (${kind}) was delivered ${received.dequeueCount} times without being ` +
    `processed, more than the limit of ${limit}; it was moved to the ${table} table.`
  );
}

/** Why an activity request became poison, as its orchestration will see the failure. */
export function poisonedActivityReason(
  request: TaskMessage,
  dequeueCount: number,
  limit: number,
  table: string,
): string {
  const name = "Name" in request.event ? request.event.Name : "activity";
  return (
    `Activity '${name}' was delivered ${dequeueCount} times without completing, more than the limit of ` +
    `${limit}; the request was moved to the ${table} table.`
  );
}

/** The TaskFailed that answers a poisoned activity request. */
export function poisonedActivityResponse(request: TaskMessage, reason: string, nowMs: number): TaskMessage {
  return {
    instance: { ...request.instance },
    event: {
      EventType: HistoryEventType.TaskFailed,
      EventId: -1,
      IsPlayed: false,
      Timestamp: new Date(nowMs).toISOString(),
      TaskScheduledId: request.event.EventId,
      Reason: reason,
      Details: reason,
      FailureDetails: poisonFailureDetails(reason),
    },
  };
}
