import { odata, type TableClient, type TransactionAction } from "@azure/data-tables";
import { HistoryEventType, type HistoryEvent } from "../../protocol/history";
import { entityToHistoryEvent, historyEventToEntity, OFFLOADABLE_PROPERTIES } from "./history-entity";
import type { LargePayloadStore } from "./large-payloads";
import { escapePartitionKey, historyRowKey, SENTINEL_ROW_KEY } from "./names";

/** What a work item needs to know of the stored history to extend it. */
export interface LoadedHistory {
  events: HistoryEvent[];
  /** The sentinel row's ETag; undefined when the instance has no history rows yet. */
  etag: string | undefined;
  /** The execution the sentinel points at. */
  executionId: string | undefined;
}

export interface HistoryUpdate {
  executionId: string;
  events: readonly HistoryEvent[];
  newEventCount: number;
  rewritten?: boolean;
}

/** Another writer moved the sentinel first: this checkpoint must not land. */
export class HistoryConflictError extends Error {
  constructor(instanceId: string) {
    super(`The history of '${instanceId}' was changed by another worker; the work item is given back.`);
    this.name = "HistoryConflictError";
  }
}

/** An entity group transaction holds at most 100 operations: 99 events and the sentinel. */
const EVENTS_PER_BATCH = 99;
/** Flush early well below the 4 MB payload limit of a transaction. */
const MAX_BATCH_BYTES = 3 * 1024 * 1024;

/**
 * The `{Hub}History` table: one partition per instance, one row per event of the current
 * execution keyed by its position, and the sentinel row whose ETag guards every checkpoint.
 */
export class HistoryTable {
  constructor(
    readonly client: TableClient,
    private readonly payloads: LargePayloadStore,
  ) {}

  /**
   * Loads the current execution's events. With `executionId`, a history that belongs to
   * another execution reads as empty (a new execution starts from nothing).
   */
  async load(instanceId: string, executionId?: string): Promise<LoadedHistory> {
    const partitionKey = escapePartitionKey(instanceId);
    const filter =
      executionId === undefined
        ? odata`PartitionKey eq ${partitionKey}`
        : odata`PartitionKey eq ${partitionKey} and (RowKey eq ${SENTINEL_ROW_KEY} or ExecutionId eq ${executionId})`;
    const rows: Record<string, unknown>[] = [];
    for await (const row of this.client.listEntities({ queryOptions: { filter } })) rows.push(row);
    const sentinel = rows.find((row) => row.rowKey === SENTINEL_ROW_KEY);
    const current =
      (sentinel?.ExecutionId as string | undefined) ?? (rows[0]?.ExecutionId as string | undefined);
    const loaded: LoadedHistory = {
      events: [],
      etag: sentinel?.etag as string | undefined,
      executionId: current,
    };
    if (executionId !== undefined && current !== executionId) return loaded;
    const eventRows: Record<string, unknown>[] = [];
    for (const row of rows) {
      if (row.rowKey === SENTINEL_ROW_KEY) continue;
      // Rows past the end of a shorter, newer execution still carry an older execution's id.
      if (row.ExecutionId !== current) break;
      eventRows.push(row);
    }
    await Promise.all(eventRows.map((row) => this.payloads.restoreEntityProperties(row)));
    loaded.events = eventRows.map((row) => entityToHistoryEvent(row));
    return loaded;
  }

  /**
   * Writes an episode's events and moves the sentinel, under the ETag `loaded` was read with.
   * Returns the sentinel's new ETag (undefined if the service did not say). Throws
   * HistoryConflictError when someone else wrote first.
   */
  async commit(
    instanceId: string,
    update: HistoryUpdate,
    loaded: LoadedHistory,
    nowMs: number,
  ): Promise<string | undefined> {
    const partitionKey = escapePartitionKey(instanceId);
    const rewriteAll = update.rewritten === true || update.executionId !== loaded.executionId;
    const first = rewriteAll ? 0 : update.events.length - update.newEventCount;
    const entities = await Promise.all(
      update.events.slice(first).map(async (event, index) => {
        const rowKey = historyRowKey(first + index);
        const entity = historyEventToEntity(event, { partitionKey, rowKey, executionId: update.executionId });
        await this.payloads.offloadEntityProperties(entity, {
          escapedInstanceId: partitionKey,
          rowKey,
          eventTypeName: HistoryEventType[event.EventType],
        });
        return entity;
      }),
    );
    const operations: TransactionAction[] = entities.map((entity) => ["upsert", entity, "Replace"]);
    // A rewritten execution may have become shorter: its old tail would read as its own.
    if (update.executionId === loaded.executionId) {
      for (let sequence = update.events.length; sequence < loaded.events.length; sequence++) {
        operations.push(["delete", { partitionKey, rowKey: historyRowKey(sequence) }]);
      }
    }
    const batches = splitIntoBatches(operations);
    let etag = loaded.etag;
    for (let i = 0; i < batches.length; i++) {
      const last = i === batches.length - 1;
      const sentinel = {
        partitionKey,
        rowKey: SENTINEL_ROW_KEY,
        ExecutionId: update.executionId,
        IsCheckpointComplete: last,
        ...(last ? { CheckpointCompletedTimestamp: new Date(nowMs) } : {}),
      };
      const actions = [...batches[i]];
      actions.push(etag === undefined ? ["create", sentinel] : ["update", sentinel, "Merge", { etag }]);
      try {
        const response = await this.client.submitTransaction(actions);
        // Sub-responses come in the order of the actions, the sentinel's last; only an insert's
        // names its row, so the sentinel's new ETag is found by position.
        etag = response.subResponses[actions.length - 1]?.etag;
      } catch (error) {
        const status = (error as { statusCode?: number }).statusCode;
        if (status === 409 || status === 412) throw new HistoryConflictError(instanceId);
        throw error;
      }
    }
    return etag;
  }

  /** Deletes every row of the instance; returns whether there were any. */
  async deleteAll(instanceId: string): Promise<boolean> {
    const partitionKey = escapePartitionKey(instanceId);
    const keys: TransactionAction[] = [];
    const rows = this.client.listEntities({
      queryOptions: { filter: odata`PartitionKey eq ${partitionKey}`, select: ["PartitionKey", "RowKey"] },
    });
    for await (const row of rows) keys.push(["delete", { partitionKey, rowKey: row.rowKey ?? "" }]);
    for (let i = 0; i < keys.length; i += 100) {
      const chunk = keys.slice(i, i + 100);
      try {
        await this.client.submitTransaction(chunk);
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode !== 404) throw error;
        // Another purge got to some of the rows first: the rest go one by one.
        for (const [, key] of chunk) {
          await this.client.deleteEntity(key.partitionKey, key.rowKey).catch((e: unknown) => {
            if ((e as { statusCode?: number }).statusCode !== 404) throw e;
          });
        }
      }
    }
    return keys.length > 0;
  }
}

/** Chunks row operations so that each transaction stays under the operation and size limits. */
function splitIntoBatches(operations: TransactionAction[]): TransactionAction[][] {
  const batches: TransactionAction[][] = [[]];
  let bytes = 0;
  for (const operation of operations) {
    const size = estimateBytes(operation[1]);
    const current = batches[batches.length - 1];
    if (current.length >= EVENTS_PER_BATCH || (current.length > 0 && bytes + size > MAX_BATCH_BYTES)) {
      batches.push([operation]);
      bytes = size;
    } else {
      current.push(operation);
      bytes += size;
    }
  }
  return batches;
}

/** As DTFx: 1 KB per row plus the UTF-16 size of the variable-length columns. */
function estimateBytes(entity: object): number {
  let bytes = 1024;
  for (const property of OFFLOADABLE_PROPERTIES) {
    const value = (entity as Record<string, unknown>)[property];
    if (typeof value === "string") bytes += value.length * 2;
  }
  return bytes;
}
