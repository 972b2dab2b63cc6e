import { odata, type TableClient } from "@azure/data-tables";
import type { InstanceQuery, InstanceQueryPage, InstanceState } from "../task-hub";
import { entityToInstanceState, instanceStateToEntity } from "./instance-entity";
import type { LargePayloadStore } from "./large-payloads";
import { decodeMessageData } from "./message-data";
import { escapePartitionKey } from "./names";
import { requireTableContinuationToken } from "./table-continuation-token";

export interface StoredInstance {
  state: InstanceState;
  etag: string;
  /** Blob URLs the row holds in place of large values, so an unchanged value is not stored twice. */
  blobUrls: Partial<Record<PayloadColumn, string>>;
}

/**
 * Columns whose large values live in blobs, the row keeping the blob's URL. DTFx offloads Input
 * and Output; CustomStatus too, here, since the extension's 16 KB cap on it is not ours.
 */
type PayloadColumn = "Input" | "Output" | "CustomStatus";
const PAYLOAD_COLUMNS: readonly PayloadColumn[] = ["Input", "Output", "CustomStatus"];
/** What a query without inputs and outputs leaves out. */
const INPUT_OUTPUT_COLUMNS: readonly PayloadColumn[] = ["Input", "Output"];

/** The `{Hub}Instances` table: one status row per instance, the read model of the hub. */
export class InstanceTable {
  constructor(
    readonly client: TableClient,
    private readonly payloads: LargePayloadStore,
    private readonly hubName: string,
  ) {}

  async get(instanceId: string): Promise<StoredInstance | undefined> {
    try {
      const entity = await this.client.getEntity(escapePartitionKey(instanceId), "");
      const blobUrls: StoredInstance["blobUrls"] = {};
      for (const column of PAYLOAD_COLUMNS) {
        const value = entity[column];
        if (typeof value === "string" && this.payloads.isBlobUrl(value)) blobUrls[column] = value;
      }
      return { state: await this.toState(entity, true), etag: entity.etag, blobUrls };
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return undefined;
      throw error;
    }
  }

  /**
   * Writes the Pending row of a new execution: an insert for a new id, a replace under the
   * read ETag for a reused one. Returns the row written, or undefined when another client (or
   * the worker running the start) wrote the row first.
   */
  async writePending(
    state: InstanceState,
    etag: string | undefined,
    startMessageBlob: string | undefined,
  ): Promise<StoredInstance | undefined> {
    // A start message that went to a blob already holds the input: point at it, as DTFx does.
    const entity = await this.toEntity(
      state,
      startMessageBlob ? { Input: this.payloads.urlOf(startMessageBlob) } : {},
    );
    try {
      const response =
        etag === undefined
          ? await this.client.createEntity(entity)
          : await this.client.updateEntity(entity, "Replace", { etag }).catch((error: unknown) => {
              // Purged since it was read: the start is a first one now.
              if ((error as { statusCode?: number }).statusCode === 404)
                return this.client.createEntity(entity);
              throw error;
            });
      const blobUrls: StoredInstance["blobUrls"] = {};
      if (startMessageBlob) blobUrls.Input = this.payloads.urlOf(startMessageBlob);
      return { state, etag: response.etag ?? "", blobUrls };
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode;
      if (status === 409 || status === 412) return undefined;
      throw error;
    }
  }

  /**
   * Writes the row after a checkpoint; the history commit before it already won the race.
   * Large values that have not changed since `previous` keep their blobs.
   */
  async put(state: InstanceState, previous: StoredInstance | undefined): Promise<StoredInstance> {
    const reused: StoredInstance["blobUrls"] = {};
    if (previous?.blobUrls.Input && previous.state.input === state.input)
      reused.Input = previous.blobUrls.Input;
    if (previous?.blobUrls.Output && previous.state.output === state.output)
      reused.Output = previous.blobUrls.Output;
    if (previous?.blobUrls.CustomStatus && previous.state.customStatus === state.customStatus)
      reused.CustomStatus = previous.blobUrls.CustomStatus;
    const entity = await this.toEntity(state, reused);
    const response = await this.client.upsertEntity(entity, "Replace");
    const blobUrls: StoredInstance["blobUrls"] = {};
    for (const column of PAYLOAD_COLUMNS) {
      const value = entity[column];
      if (typeof value === "string" && this.payloads.isBlobUrl(value)) blobUrls[column] = value;
    }
    return { state, etag: response.etag ?? "", blobUrls };
  }

  async delete(instanceId: string): Promise<boolean> {
    try {
      await this.client.deleteEntity(escapePartitionKey(instanceId), "");
      return true;
    } catch (error) {
      if ((error as { statusCode?: number }).statusCode === 404) return false;
      throw error;
    }
  }

  async query(query: InstanceQuery): Promise<InstanceQueryPage> {
    const withPayloads = query.fetchInputsAndOutputs !== false;
    const filter = instanceFilter(query, this.hubName);
    const instances: InstanceState[] = [];
    let continuationToken = query.continuationToken;
    if (continuationToken !== undefined) requireTableContinuationToken(continuationToken);
    // A filtered page may come back short or even empty: ask again for the rest, never more.
    do {
      const remaining = query.pageSize === undefined ? undefined : query.pageSize - instances.length;
      const pages = this.client
        .listEntities({ queryOptions: { filter } })
        .byPage({ maxPageSize: remaining, continuationToken });
      const next = await pages.next();
      if (next.done) break;
      for (const entity of next.value) {
        if (!withPayloads) for (const column of INPUT_OUTPUT_COLUMNS) delete entity[column];
        instances.push(await this.toState(entity, withPayloads));
      }
      continuationToken = next.value.continuationToken;
    } while (continuationToken && (query.pageSize === undefined || instances.length < query.pageSize));
    return continuationToken ? { instances, continuationToken } : { instances };
  }

  private async toEntity(
    state: InstanceState,
    blobUrls: StoredInstance["blobUrls"],
  ): Promise<Record<string, unknown> & { partitionKey: string; rowKey: string }> {
    const entity = instanceStateToEntity(state, this.hubName);
    for (const column of PAYLOAD_COLUMNS) {
      const value = entity[column];
      if (typeof value !== "string" || !this.payloads.needsOffload(value)) continue;
      entity[column] =
        blobUrls[column] ?? (await this.payloads.offloadInstanceValue(entity.partitionKey, column, value));
    }
    return entity;
  }

  private async toState(entity: Record<string, unknown>, resolvePayloads: boolean): Promise<InstanceState> {
    // The custom status is part of every status, with or without inputs and outputs.
    const columns = resolvePayloads ? PAYLOAD_COLUMNS : (["CustomStatus"] as const);
    for (const column of columns) {
      const value = entity[column];
      if (typeof value === "string" && this.payloads.isBlobUrl(value)) {
        entity[column] = await this.resolveBlobValue(column, value);
      }
    }
    return entityToInstanceState(entity);
  }

  /** A start message that was itself offloaded leaves its blob's URL as the Pending input. */
  private async resolveBlobValue(column: string, url: string): Promise<string> {
    const text = await this.payloads.resolveInstanceValue(url);
    if (column !== "Input" || !url.endsWith("ExecutionStarted.json.gz")) return text;
    const decoded = decodeMessageData(text);
    if (decoded.kind === "message" && "Input" in decoded.message.event)
      return decoded.message.event.Input ?? "";
    return text;
  }
}

function instanceFilter(query: InstanceQuery, hubName: string): string {
  const clauses = [odata`TaskHubName eq ${hubName}`];
  if (query.runtimeStatus && query.runtimeStatus.length > 0) {
    clauses.push(`(${query.runtimeStatus.map((status) => odata`RuntimeStatus eq ${status}`).join(" or ")})`);
  }
  if (query.createdTimeFrom)
    clauses.push(`CreatedTime ge datetime'${new Date(query.createdTimeFrom).toISOString()}'`);
  if (query.createdTimeTo)
    clauses.push(`CreatedTime le datetime'${new Date(query.createdTimeTo).toISOString()}'`);
  if (query.instanceIdPrefix) {
    const low = escapePartitionKey(query.instanceIdPrefix);
    const high = low.slice(0, -1) + String.fromCharCode(low.charCodeAt(low.length - 1) + 1);
    clauses.push(odata`PartitionKey ge ${low} and PartitionKey lt ${high}`);
  }
  // Entity ids start with '@', which sorts between the digits and the letters.
  if (!query.includeEntities) clauses.push("(PartitionKey lt '@' or PartitionKey ge 'A')");
  return clauses.join(" and ");
}
