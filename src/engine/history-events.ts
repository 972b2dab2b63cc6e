import {
  HistoryEventType,
  OrchestrationStatusCode,
  type EventRaisedEvent,
  type EventSentEvent,
  type ExecutionCompletedEvent,
  type ExecutionStartedEvent,
  type ExecutionTerminatedEvent,
  type FailureDetails,
  type OrchestratorCompletedEvent,
  type OrchestratorStartedEvent,
  type ParentInstanceInfo,
  type SubOrchestrationInstanceCreatedEvent,
  type TaskScheduledEvent,
  type TimerCreatedEvent,
} from "../protocol/history";

/** Builders for the history events the engine writes, with the fields the wire form requires. */

const NO_EVENT_ID = -1;

export function orchestratorStarted(timestamp: string): OrchestratorStartedEvent {
  return {
    EventType: HistoryEventType.OrchestratorStarted,
    EventId: NO_EVENT_ID,
    IsPlayed: false,
    Timestamp: timestamp,
  };
}

export function orchestratorCompleted(timestamp: string): OrchestratorCompletedEvent {
  return {
    EventType: HistoryEventType.OrchestratorCompleted,
    EventId: NO_EVENT_ID,
    IsPlayed: false,
    Timestamp: timestamp,
  };
}

export interface ExecutionStartedFields {
  instanceId: string;
  executionId: string;
  name: string;
  input: string | null;
  version?: string | null;
  parent?: ParentInstanceInfo | null;
  scheduledStartTime?: string | null;
  generation?: number;
  timestamp: string;
}

export function executionStarted(fields: ExecutionStartedFields): ExecutionStartedEvent {
  return {
    EventType: HistoryEventType.ExecutionStarted,
    EventId: NO_EVENT_ID,
    IsPlayed: false,
    Timestamp: fields.timestamp,
    OrchestrationInstance: { InstanceId: fields.instanceId, ExecutionId: fields.executionId },
    ParentInstance: fields.parent ?? null,
    Name: fields.name,
    Version: fields.version ?? null,
    Input: fields.input,
    Tags: null,
    Correlation: null,
    ParentTraceContext: null,
    ScheduledStartTime: fields.scheduledStartTime ?? null,
    Generation: fields.generation ?? 0,
  };
}

export function executionCompleted(
  status: OrchestrationStatusCode,
  result: string | null,
  timestamp: string,
  failureDetails: FailureDetails | null = null,
): ExecutionCompletedEvent {
  return {
    EventType: HistoryEventType.ExecutionCompleted,
    EventId: NO_EVENT_ID,
    IsPlayed: false,
    Timestamp: timestamp,
    OrchestrationStatus: status,
    Result: result,
    FailureDetails: failureDetails,
  };
}

export function executionTerminated(reason: string | null, timestamp: string): ExecutionTerminatedEvent {
  return {
    EventType: HistoryEventType.ExecutionTerminated,
    EventId: NO_EVENT_ID,
    IsPlayed: false,
    Timestamp: timestamp,
    Input: reason,
  };
}

export function taskScheduled(
  eventId: number,
  name: string,
  input: string | null,
  timestamp: string,
): TaskScheduledEvent {
  return {
    EventType: HistoryEventType.TaskScheduled,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp,
    Name: name,
    Version: null,
    Input: input,
  };
}

export function timerCreated(eventId: number, fireAt: string, timestamp: string): TimerCreatedEvent {
  return {
    EventType: HistoryEventType.TimerCreated,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp,
    FireAt: fireAt,
  };
}

export function subOrchestrationCreated(
  eventId: number,
  name: string,
  instanceId: string,
  input: string | null,
  version: string | null,
  timestamp: string,
): SubOrchestrationInstanceCreatedEvent {
  return {
    EventType: HistoryEventType.SubOrchestrationInstanceCreated,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp,
    Name: name,
    Version: version,
    InstanceId: instanceId,
    Input: input,
  };
}

export function eventSent(
  eventId: number,
  targetInstanceId: string,
  name: string,
  input: string | null,
  timestamp: string,
): EventSentEvent {
  return {
    EventType: HistoryEventType.EventSent,
    EventId: eventId,
    IsPlayed: false,
    Timestamp: timestamp,
    InstanceId: targetInstanceId,
    Name: name,
    Input: input,
  };
}

export function eventRaised(name: string, input: string | null, timestamp: string): EventRaisedEvent {
  return {
    EventType: HistoryEventType.EventRaised,
    EventId: NO_EVENT_ID,
    IsPlayed: false,
    Timestamp: timestamp,
    Name: name,
    Input: input,
  };
}

/** JSON text of a value, with `undefined` written as null as the extension does. */
export function toJsonText(value: unknown): string {
  return JSON.stringify(value === undefined ? null : value);
}

/** Parses JSON text, returning the raw text when it is not valid JSON (as the extension renders payloads). */
export function parseJsonLenient(text: string | null | undefined): unknown {
  if (text === null || text === undefined) return null;
  if (text.trim() === "") return "";
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
