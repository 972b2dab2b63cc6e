/**
 * History table rows as DurableTask.AzureStorage's TableEntityConverter writes them: one column
 * per DataMember, enums as names, objects as JSON text, `Timestamp` renamed `_Timestamp`.
 */
import type { Edm } from "@azure/data-tables";
import {
  HistoryEventType,
  OrchestrationStatusCode,
  type HistoryEvent,
  type HistoryEventOf,
} from "../../protocol/history";

export type HistoryEntity = { partitionKey: string; rowKey: string } & Record<string, unknown>;

/** Columns that may exceed the table property limit and then move to a blob (`{Name}BlobName`). */
export const OFFLOADABLE_PROPERTIES = [
  "Name",
  "Input",
  "Result",
  "Output",
  "Reason",
  "Details",
  "Correlation",
  "FailureDetails",
  "Tags",
] as const;

type SupportedEventType = HistoryEvent["EventType"];
type BaseField = "EventType" | "EventId" | "IsPlayed" | "Timestamp";

type ColumnKind =
  | "string"
  | "nullableString"
  | "int32"
  /** Int32 that rows written before DTFx had generations lack; read as 0. */
  | "generation"
  | "date"
  | "nullableDate"
  /** Any object, as Newtonsoft JSON text; null is the text "null". */
  | "json"
  | "status";

// Typed per event so that the compiler flags a field added to an event but not stored here.
type EventColumns = {
  readonly [T in SupportedEventType]: {
    readonly [K in Exclude<keyof HistoryEventOf<T>, BaseField>]-?: ColumnKind;
  };
};

const COMPLETION_COLUMNS = {
  OrchestrationStatus: "status",
  Result: "nullableString",
  FailureDetails: "json",
} as const;
const TASK_FAILURE_COLUMNS = {
  TaskScheduledId: "int32",
  Reason: "string",
  Details: "string",
  FailureDetails: "json",
} as const;

const EVENT_COLUMNS: EventColumns = {
  [HistoryEventType.ExecutionStarted]: {
    OrchestrationInstance: "json",
    ParentInstance: "json",
    Name: "string",
    Version: "nullableString",
    Input: "nullableString",
    Tags: "json",
    Correlation: "nullableString",
    ParentTraceContext: "json",
    ScheduledStartTime: "nullableDate",
    Generation: "generation",
  },
  [HistoryEventType.ExecutionCompleted]: COMPLETION_COLUMNS,
  [HistoryEventType.ExecutionTerminated]: { Input: "nullableString" },
  [HistoryEventType.TaskScheduled]: { Name: "string", Version: "nullableString", Input: "nullableString" },
  [HistoryEventType.TaskCompleted]: { TaskScheduledId: "int32", Result: "string" },
  [HistoryEventType.TaskFailed]: TASK_FAILURE_COLUMNS,
  [HistoryEventType.SubOrchestrationInstanceCreated]: {
    Name: "string",
    Version: "nullableString",
    InstanceId: "string",
    Input: "nullableString",
  },
  [HistoryEventType.SubOrchestrationInstanceCompleted]: { TaskScheduledId: "int32", Result: "string" },
  [HistoryEventType.SubOrchestrationInstanceFailed]: TASK_FAILURE_COLUMNS,
  [HistoryEventType.TimerCreated]: { FireAt: "date" },
  [HistoryEventType.TimerFired]: { TimerId: "int32", FireAt: "date" },
  [HistoryEventType.OrchestratorStarted]: {},
  [HistoryEventType.OrchestratorCompleted]: {},
  [HistoryEventType.EventSent]: { InstanceId: "string", Name: "string", Input: "nullableString" },
  [HistoryEventType.EventRaised]: { Name: "string", Input: "nullableString" },
  [HistoryEventType.ContinueAsNew]: COMPLETION_COLUMNS,
  [HistoryEventType.GenericEvent]: { Data: "nullableString" },
  [HistoryEventType.HistoryState]: { State: "json" },
  [HistoryEventType.ExecutionSuspended]: { Reason: "nullableString" },
  [HistoryEventType.ExecutionResumed]: { Reason: "nullableString" },
};

function columnsOf(eventType: SupportedEventType): [string, ColumnKind][] {
  return Object.entries(EVENT_COLUMNS[eventType]);
}

export function historyEventToEntity(
  event: HistoryEvent,
  row: { partitionKey: string; rowKey: string; executionId: string },
): HistoryEntity {
  const entity: HistoryEntity = {
    partitionKey: row.partitionKey,
    rowKey: row.rowKey,
    EventType: HistoryEventType[event.EventType],
    EventId: int32Column(event.EventId),
    IsPlayed: event.IsPlayed,
    _Timestamp: new Date(event.Timestamp),
    ExecutionId: row.executionId,
  };
  const fields = event as unknown as Record<string, unknown>;
  for (const [column, kind] of columnsOf(event.EventType)) {
    const value = toColumn(fields[column], kind);
    if (value !== undefined) entity[column] = value;
  }
  return entity;
}

function toColumn(value: unknown, kind: ColumnKind): unknown {
  switch (kind) {
    case "json":
      return JSON.stringify(value ?? null);
    case "status":
      return OrchestrationStatusCode[value as OrchestrationStatusCode];
    case "int32":
    case "generation":
      return int32Column(value as number);
    case "date":
    case "nullableDate":
      return value === null || value === undefined ? undefined : new Date(value as string);
    case "string":
    case "nullableString":
      // Null strings are left out of the row, as the .NET SDK leaves them out.
      return value ?? undefined;
  }
}

export function entityToHistoryEvent(entity: Record<string, unknown>): HistoryEvent {
  const typeName = readString(entity, "EventType");
  const eventType: unknown = HistoryEventType[typeName as keyof typeof HistoryEventType];
  if (typeof eventType !== "number" || !(eventType in EVENT_COLUMNS)) {
    throw new Error(`${describeRow(entity)} has an unsupported EventType: ${JSON.stringify(typeName)}.`);
  }
  const event: Record<string, unknown> = {
    EventType: eventType,
    EventId: readInt32(entity, "EventId") ?? -1,
    IsPlayed: readBoolean(entity, "IsPlayed") ?? false,
    Timestamp: required(entity, "_Timestamp", readDate(entity, "_Timestamp")),
  };
  for (const [column, kind] of columnsOf(eventType as SupportedEventType)) {
    event[column] = fromColumn(entity, column, kind);
  }
  return event as unknown as HistoryEvent;
}

function fromColumn(entity: Record<string, unknown>, column: string, kind: ColumnKind): unknown {
  switch (kind) {
    case "string":
      return readString(entity, column) ?? "";
    case "nullableString":
      return readString(entity, column) ?? null;
    case "int32":
      return required(entity, column, readInt32(entity, column));
    case "generation":
      return readInt32(entity, column) ?? 0;
    case "date":
      return required(entity, column, readDate(entity, column));
    case "nullableDate":
      return readDate(entity, column) ?? null;
    case "json":
      return readJson(entity, column);
    case "status":
      return readStatus(entity, column);
  }
}

function readJson(entity: Record<string, unknown>, column: string): unknown {
  const text = readString(entity, column);
  if (text === undefined) return null;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new Error(`${describeRow(entity)} has a ${column} column that is not JSON.`, { cause: error });
  }
}

function readStatus(entity: Record<string, unknown>, column: string): OrchestrationStatusCode {
  const name = readString(entity, column);
  const status: unknown = OrchestrationStatusCode[name as keyof typeof OrchestrationStatusCode];
  if (typeof status !== "number") {
    throw new Error(`${describeRow(entity)} has an unknown ${column}: ${JSON.stringify(name)}.`);
  }
  return status as OrchestrationStatusCode;
}

function required<T>(entity: Record<string, unknown>, column: string, value: T | undefined): T {
  if (value === undefined) throw new Error(`${describeRow(entity)} has no ${column} column.`);
  return value;
}

function describeRow(entity: Record<string, unknown>): string {
  const partitionKey = entity.partitionKey ?? entity.PartitionKey;
  const rowKey = entity.rowKey ?? entity.RowKey;
  return `History row (${JSON.stringify(partitionKey)}, ${JSON.stringify(rowKey)})`;
}

// ---- column values, shared with the Instances table ----

/** An Int32 column; a bare number would leave the EDM type to the service's inference. */
export function int32Column(value: number): Edm<"Int32"> {
  return { value, type: "Int32" };
}

/** A column's raw value, whether the SDK returned it converted or as `{ value, type }`. */
function columnValue(entity: Record<string, unknown>, column: string): unknown {
  const value = entity[column];
  if (value !== null && typeof value === "object" && !(value instanceof Date) && "value" in value) {
    return value.value;
  }
  return value;
}

export function readString(entity: Record<string, unknown>, column: string): string | undefined {
  const value = columnValue(entity, column);
  return typeof value === "string" ? value : undefined;
}

export function readInt32(entity: Record<string, unknown>, column: string): number | undefined {
  const value = columnValue(entity, column);
  const number = typeof value === "string" && value !== "" ? Number(value) : value;
  return typeof number === "number" && Number.isInteger(number) ? number : undefined;
}

export function readBoolean(entity: Record<string, unknown>, column: string): boolean | undefined {
  const value = columnValue(entity, column);
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "false") return value === "true";
  return undefined;
}

/** A DateTime column as an ISO time with millisecond precision. */
export function readDate(entity: Record<string, unknown>, column: string): string | undefined {
  const value = columnValue(entity, column);
  if (!(value instanceof Date) && typeof value !== "string") return undefined;
  const time = new Date(value);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}
