import type { EntityIdPayload } from "./actions";

/** One operation in an entity batch. */
export interface EntityBatchOperation {
  name: string;
  /** JSON text, or null when there is no input. */
  input: string | null;
  isSignal: boolean;
  id?: string;
}

/** The entityTrigger payload the host hands the worker. */
export interface EntityBatchRequest {
  self: EntityIdPayload;
  exists: boolean;
  /** The state as JSON text, or null. */
  state: string | null;
  batch: EntityBatchOperation[];
}

export interface EntityOperationResult {
  isError: boolean;
  /** Milliseconds. */
  duration: number;
  /** Epoch milliseconds. */
  startTime: number;
  /** JSON text of the return value (or of the error); absent when nothing was returned. */
  result?: string;
}

export interface EntitySignalPayload {
  target: EntityIdPayload;
  name: string;
  /** JSON text, or "" when there is no input. */
  input: string;
  requestId?: string;
  requestTime?: number;
  /** ISO time the signal is due; durable-ts only (the official package never sends it). */
  scheduledTime?: string;
}

/** What the entity function returns for a batch. */
export interface EntityBatchResult {
  results: EntityOperationResult[];
  signals: EntitySignalPayload[];
  entityExists: boolean;
  entityState?: string | null;
}

/** The body of an "op" event sent to an entity (orchestration or client -> entity). */
export interface EntityRequestMessage {
  op?: string;
  signal?: boolean;
  input?: string;
  id: string;
  parent?: string;
  parentExecution?: string;
  /** ISO time, scheduled signals only. */
  due?: string;
  lockset?: EntityIdPayload[];
  pos?: number;
}

/** The body of a "release" event sent to a locked entity. */
export interface EntityReleaseMessage {
  parent: string;
  id: string;
}

/** The body of the EventRaised an entity sends back to a calling orchestration. */
export interface EntityResponseMessage {
  /** JSON text of the operation result, or null. */
  result: string | null;
  /** Present only when the operation failed. */
  exceptionType?: string;
}

/** Event names used on the entity wire. */
export const ENTITY_OPERATION_EVENT = "op";
export const ENTITY_RELEASE_EVENT = "release";
export const LOCK_ACQUIRED_RESULT = "Lock Acquisition Completed";

/** Entities live as instances whose id is "@" + lower-case name + "@" + key (§5.1). */
export function entityInstanceId(entity: EntityIdPayload): string {
  return `@${entity.name.toLowerCase()}@${entity.key}`;
}

export function isEntityInstanceId(instanceId: string): boolean {
  return instanceId.startsWith("@") && instanceId.indexOf("@", 1) > 0;
}

/** Splits at the second "@": the key may contain more of them. */
export function parseEntityInstanceId(instanceId: string): EntityIdPayload {
  const separator = instanceId.indexOf("@", 1);
  if (!instanceId.startsWith("@") || separator < 0) {
    throw new RangeError(`'${instanceId}' is not an entity instance id; expected "@name@key".`);
  }
  return { name: instanceId.substring(1, separator), key: instanceId.substring(separator + 1) };
}
