import { HistoryEventType, SchemaVersion, type HistoryEvent } from "../../protocol";
import { parseTimeSpan, type TimeSpan } from "./time-span";

/** The orchestrationTrigger payload, read and checked as the official worker reads it. */
export interface OrchestrationTrigger {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | undefined;
  schemaVersion: SchemaVersion;
  /** The Timestamp of the first OrchestratorStarted: where the replay's clock starts. */
  startTime: Date;
  /** The Version of ExecutionStarted, as written (it may be null). */
  version: string | undefined;
  maximumShortTimerDuration: TimeSpan | undefined;
  longRunningTimerIntervalDuration: TimeSpan | undefined;
  defaultHttpAsyncRequestSleepTimeMillseconds: number | undefined;
}

const REQUIRED_FIELDS = ["history", "instanceId", "isReplaying", "upperSchemaVersion"] as const;
const KNOWN_SCHEMAS: readonly unknown[] = [
  SchemaVersion.V1,
  SchemaVersion.V2,
  SchemaVersion.V3,
  SchemaVersion.V4,
];

/**
 * Reads the trigger (an object, or the JSON text the host sends). Fails with the official worker's
 * messages when fields are missing, and revives `Timestamp` strings in the input into Dates, as the
 * official worker does to the whole trigger (orchestration inputs included).
 */
export function readOrchestrationTrigger(trigger: unknown): OrchestrationTrigger {
  const payload: unknown = typeof trigger === "string" ? JSON.parse(trigger) : trigger;
  if (
    !isRecord(payload) ||
    !REQUIRED_FIELDS.every((field) => Object.prototype.hasOwnProperty.call(payload, field))
  ) {
    throw new Error("Could not find an orchestrationClient binding on context.");
  }
  const history = payload.history as HistoryEvent[];
  const episodeStart = history.find((event) => event.EventType === HistoryEventType.OrchestratorStarted);
  if (episodeStart === undefined) {
    throw new TypeError("The orchestrator can not execute without an OrchestratorStarted event.");
  }
  const executionStarted = history.find((event) => event.EventType === HistoryEventType.ExecutionStarted);
  return {
    history,
    input: reviveTimestamps(payload.input),
    instanceId: payload.instanceId as string,
    isReplaying: payload.isReplaying as boolean,
    parentInstanceId: payload.parentInstanceId as string | undefined,
    schemaVersion: negotiateSchema(payload.upperSchemaVersionNew, payload.upperSchemaVersion),
    startTime: new Date(episodeStart.Timestamp),
    version: executionStarted?.Version as string | undefined,
    maximumShortTimerDuration: timeSpanOrUndefined(payload.maximumShortTimerDuration),
    longRunningTimerIntervalDuration: timeSpanOrUndefined(payload.longRunningTimerIntervalDuration),
    defaultHttpAsyncRequestSleepTimeMillseconds: payload.defaultHttpAsyncRequestSleepTimeMillseconds as
      number | undefined,
  };
}

/** The newer field wins when set; an unknown version means "the latest this SDK knows", V4. */
function negotiateSchema(upperSchemaVersionNew: unknown, upperSchemaVersion: unknown): SchemaVersion {
  const offered = upperSchemaVersionNew ? upperSchemaVersionNew : upperSchemaVersion;
  return KNOWN_SCHEMAS.includes(offered) ? (offered as SchemaVersion) : SchemaVersion.V4;
}

function timeSpanOrUndefined(value: unknown): TimeSpan | undefined {
  return value ? parseTimeSpan(String(value)) : undefined;
}

/**
 * A copy of `value` in which every own `Timestamp` string property, at any depth, is a Date. A copy,
 * so a host that passes its own objects never sees them change.
 */
function reviveTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(reviveTimestamps);
  }
  if (!isPlainObject(value)) {
    return value;
  }
  // fromEntries defines each key, so a "__proto__" key stays data instead of setting the prototype.
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      key === "Timestamp" && typeof field === "string" ? new Date(field) : reviveTimestamps(field),
    ]),
  );
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (!isRecord(value)) {
    return false;
  }
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
