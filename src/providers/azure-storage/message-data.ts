/**
 * The queue message body of DurableTask.AzureStorage: a `MessageData` envelope around a DTFx
 * `TaskMessage`, in the Newtonsoft shape a .NET worker reads and writes (`$type` names, integer
 * enums, 7-digit fractional DateTimes).
 */
import { HistoryEventType, type HistoryEvent, type OrchestrationInstanceRef } from "../../protocol/history";
import type { MessageInstance, TaskMessage } from "../task-hub";
import { escapeStorageUnsafeCharacters } from "./storage-safe-json";

/** The provider's threshold: the JSON must fit base64-encoded in a 64 KiB queue message. */
export const MAX_QUEUE_MESSAGE_BYTES = 45 * 1024;

export function utf8ByteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

const MESSAGE_DATA_TYPE = "DurableTask.AzureStorage.MessageData";
const TASK_MESSAGE_TYPE = "DurableTask.Core.TaskMessage";
const ORCHESTRATION_INSTANCE_TYPE = "DurableTask.Core.OrchestrationInstance";
const EMPTY_ACTIVITY_ID = "00000000-0000-0000-0000-000000000000";

type SupportedEventType = HistoryEvent["EventType"];

/** The DurableTask.Core.History class of each event type (ExecutionFailed has none). */
const EVENT_CLASS_NAMES: Readonly<Record<SupportedEventType, string>> = {
  [HistoryEventType.ExecutionStarted]: "ExecutionStartedEvent",
  [HistoryEventType.ExecutionCompleted]: "ExecutionCompletedEvent",
  [HistoryEventType.ExecutionTerminated]: "ExecutionTerminatedEvent",
  [HistoryEventType.TaskScheduled]: "TaskScheduledEvent",
  [HistoryEventType.TaskCompleted]: "TaskCompletedEvent",
  [HistoryEventType.TaskFailed]: "TaskFailedEvent",
  [HistoryEventType.SubOrchestrationInstanceCreated]: "SubOrchestrationInstanceCreatedEvent",
  [HistoryEventType.SubOrchestrationInstanceCompleted]: "SubOrchestrationInstanceCompletedEvent",
  [HistoryEventType.SubOrchestrationInstanceFailed]: "SubOrchestrationInstanceFailedEvent",
  [HistoryEventType.TimerCreated]: "TimerCreatedEvent",
  [HistoryEventType.TimerFired]: "TimerFiredEvent",
  [HistoryEventType.OrchestratorStarted]: "OrchestratorStartedEvent",
  [HistoryEventType.OrchestratorCompleted]: "OrchestratorCompletedEvent",
  [HistoryEventType.EventSent]: "EventSentEvent",
  [HistoryEventType.EventRaised]: "EventRaisedEvent",
  [HistoryEventType.ContinueAsNew]: "ContinueAsNewEvent",
  [HistoryEventType.GenericEvent]: "GenericEvent",
  [HistoryEventType.HistoryState]: "HistoryStateEvent",
  [HistoryEventType.ExecutionSuspended]: "ExecutionSuspendedEvent",
  [HistoryEventType.ExecutionResumed]: "ExecutionResumedEvent",
};

/** The event fields that are .NET DateTimes rather than plain strings. */
const EVENT_DATE_FIELDS = ["Timestamp", "FireAt", "ScheduledStartTime"] as const;

export function encodeMessageData(
  message: TaskMessage,
  meta: { activityId: string; sequenceNumber: number },
): string {
  const envelope: Record<string, unknown> = {
    $type: MESSAGE_DATA_TYPE,
    ActivityId: meta.activityId,
    TaskMessage: {
      $type: TASK_MESSAGE_TYPE,
      Event: encodeEvent(message.event),
      SequenceNumber: 0,
      OrchestrationInstance: encodeInstance(message.instance.instanceId, message.instance.executionId),
      OrchestrationExecutionContext: null,
    },
    CompressedBlobName: null,
    SequenceNumber: meta.sequenceNumber,
  };
  if (message.episode !== undefined) envelope.Episode = message.episode;
  if (message.sender !== undefined) {
    envelope.Sender = { InstanceId: message.sender.instanceId, ExecutionId: message.sender.executionId };
  }
  envelope.SerializableTraceContext = null;
  // No DTFx field holds the delivery time; a .NET reader skips members it does not know.
  if (message.visibleAt !== undefined) envelope.VisibleAt = toDotNetDateTime(message.visibleAt);
  // A queue message body is XML text: U+FFFE and U+FFFF must not appear in it raw.
  return escapeStorageUnsafeCharacters(JSON.stringify(envelope));
}

/** The small message sent in place of one whose full MessageData went to a blob. */
export function encodeLargeMessageWrapper(blobName: string): string {
  const wrapper = JSON.stringify({
    $type: MESSAGE_DATA_TYPE,
    ActivityId: EMPTY_ACTIVITY_ID,
    TaskMessage: null,
    CompressedBlobName: blobName,
    SequenceNumber: 0,
    SerializableTraceContext: null,
  });
  return escapeStorageUnsafeCharacters(wrapper);
}

/** Where a message too large for the queue is stored, inside the large-messages container. */
export function largeMessageBlobName(
  instanceId: string,
  activityId: string,
  eventType: HistoryEventType,
): string {
  const compactId = activityId.replace(/-/g, "").toLowerCase();
  return `${instanceId}/message-${compactId}-${HistoryEventType[eventType]}.json.gz`;
}

function encodeEvent(event: HistoryEvent): Record<string, unknown> {
  const json: Record<string, unknown> = {
    $type: `DurableTask.Core.History.${EVENT_CLASS_NAMES[event.EventType]}`,
    ...event,
  };
  for (const field of EVENT_DATE_FIELDS) {
    const value = json[field];
    if (typeof value === "string") json[field] = toDotNetDateTime(value);
  }
  if (event.EventType === HistoryEventType.ExecutionStarted) {
    json.OrchestrationInstance = encodeInstanceRef(event.OrchestrationInstance);
    if (event.ParentInstance !== null) {
      json.ParentInstance = {
        ...event.ParentInstance,
        OrchestrationInstance: encodeInstanceRef(event.ParentInstance.OrchestrationInstance),
      };
    }
  }
  return json;
}

function encodeInstanceRef(ref: OrchestrationInstanceRef): Record<string, unknown> {
  return encodeInstance(ref.InstanceId, ref.ExecutionId);
}

function encodeInstance(instanceId: string, executionId: string | null): Record<string, unknown> {
  return { $type: ORCHESTRATION_INSTANCE_TYPE, InstanceId: instanceId, ExecutionId: executionId };
}

/** An ISO time as Newtonsoft writes a UTC DateTime: 7 fractional digits and Z. */
function toDotNetDateTime(iso: string): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) throw new Error(`Cannot encode '${iso}' as a DateTime: not an ISO time.`);
  return time.toISOString().replace(/Z$/, "0000Z");
}

export type DecodedMessageData =
  | { kind: "message"; message: TaskMessage; sequenceNumber: number; activityId: string }
  | { kind: "blob"; blobName: string };

export function decodeMessageData(body: string): DecodedMessageData {
  const data = expectObject(stripTypeNames(parseBody(body)), "The message body");
  if (typeof data.CompressedBlobName === "string" && data.CompressedBlobName !== "") {
    return { kind: "blob", blobName: data.CompressedBlobName };
  }
  if (typeof data.ActivityId !== "string") throw new Error("MessageData.ActivityId is missing.");
  if (typeof data.SequenceNumber !== "number") throw new Error("MessageData.SequenceNumber is missing.");
  const taskMessage = expectObject(data.TaskMessage, "MessageData.TaskMessage");
  const instance = decodeInstance(taskMessage.OrchestrationInstance, "TaskMessage.OrchestrationInstance");
  const message: TaskMessage = { event: decodeEvent(taskMessage.Event), instance };
  if (typeof data.VisibleAt === "string") message.visibleAt = fromDotNetDateTime(data.VisibleAt, "VisibleAt");
  const sender = data.Sender === undefined || data.Sender === null ? undefined : decodeSender(data.Sender);
  if (sender !== undefined) message.sender = sender;
  if (typeof data.Episode === "number") message.episode = data.Episode;
  return { kind: "message", message, sequenceNumber: data.SequenceNumber, activityId: data.ActivityId };
}

/** Raw JSON (the default encoding) or its base64 form (QueueClientMessageEncoding = Base64). */
function parseBody(body: string): unknown {
  const text = body.trimStart().startsWith("{") ? body : Buffer.from(body, "base64").toString("utf8");
  try {
    return JSON.parse(text);
  } catch (error) {
    const preview = body.length > 80 ? `${body.slice(0, 80)}...` : body;
    throw new Error(`The message body is not MessageData JSON (${(error as Error).message}): ${preview}`, {
      cause: error,
    });
  }
}

/** Removes the Newtonsoft type names, which our types do not carry, at every depth. */
function stripTypeNames(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(stripTypeNames);
  if (value === null || typeof value !== "object") return value;
  const result: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    if (key !== "$type") result[key] = stripTypeNames(item);
  }
  return result;
}

function decodeEvent(value: unknown): HistoryEvent {
  const event = expectObject(value, "TaskMessage.Event");
  const eventType = event.EventType;
  if (typeof eventType !== "number" || !(eventType in EVENT_CLASS_NAMES)) {
    throw new Error(`TaskMessage.Event has an unsupported EventType: ${JSON.stringify(eventType)}.`);
  }
  if (typeof event.Timestamp !== "string") throw new Error("TaskMessage.Event.Timestamp is missing.");
  for (const field of EVENT_DATE_FIELDS) {
    const time = event[field];
    if (typeof time === "string") event[field] = fromDotNetDateTime(time, `Event.${field}`);
  }
  return event as unknown as HistoryEvent;
}

function decodeInstance(value: unknown, what: string): MessageInstance {
  const instance = expectObject(value, what);
  if (typeof instance.InstanceId !== "string" || instance.InstanceId === "") {
    throw new Error(`${what}.InstanceId is missing.`);
  }
  return { instanceId: instance.InstanceId, executionId: optionalId(instance.ExecutionId) };
}

/** Clients send an empty sender; only an orchestration's id means something. */
function decodeSender(value: unknown): MessageInstance | undefined {
  const sender = expectObject(value, "MessageData.Sender");
  if (typeof sender.InstanceId !== "string" || sender.InstanceId === "") return undefined;
  return { instanceId: sender.InstanceId, executionId: optionalId(sender.ExecutionId) };
}

function optionalId(value: unknown): string | null {
  return typeof value === "string" && value !== "" ? value : null;
}

/** A .NET DateTime as our ISO form; a time without a zone is UTC, as DTFx always sends UTC. */
function fromDotNetDateTime(text: string, what: string): string {
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const time = new Date(hasZone ? text : `${text}Z`);
  if (Number.isNaN(time.getTime())) throw new Error(`${what} is not a valid DateTime: '${text}'.`);
  return time.toISOString();
}

function expectObject(value: unknown, what: string): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`${what} is not a JSON object.`);
  }
  return value as Record<string, unknown>;
}
