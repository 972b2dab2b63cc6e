/**
 * Builders for history events, task messages and status rows, so tests read as the scenario
 * they describe. Every builder fills the fields a test does not care about with plain defaults.
 */
import {
  HistoryEventType,
  OrchestrationStatusCode,
  type EventRaisedEvent,
  type ExecutionCompletedEvent,
  type ExecutionStartedEvent,
  type HistoryEvent,
  type OrchestratorCompletedEvent,
  type OrchestratorStartedEvent,
  type TaskCompletedEvent,
  type TaskScheduledEvent,
  type TimerCreatedEvent,
  type TimerFiredEvent,
} from "../../src/protocol/history";
import type { RuntimeStatusName } from "../../src/protocol/status";
import * as events from "../../src/engine/history-events";
import type {
  InstanceState,
  MessageInstance,
  OrchestrationCheckpoint,
  TaskMessage,
} from "../../src/providers/task-hub";

/** The timestamp events get unless a test gives one. */
export const DEFAULT_EVENT_TIME = "2024-01-01T00:00:00.000Z";

interface EventTiming {
  timestamp?: string;
}

export interface ExecutionStartedOptions extends EventTiming {
  instanceId: string;
  executionId?: string;
  name?: string;
  input?: unknown;
  version?: string | null;
  parent?: { instanceId: string; executionId: string; name?: string; taskScheduleId?: number };
  scheduledStartTime?: string | null;
  generation?: number;
}

export function executionStartedEvent(options: ExecutionStartedOptions): ExecutionStartedEvent {
  const parent = options.parent;
  return events.executionStarted({
    instanceId: options.instanceId,
    executionId: options.executionId ?? "exec-1",
    name: options.name ?? "TestOrchestration",
    input: toJson(options.input),
    version: options.version,
    parent: parent
      ? {
          Name: parent.name ?? null,
          OrchestrationInstance: { InstanceId: parent.instanceId, ExecutionId: parent.executionId },
          TaskScheduleId: parent.taskScheduleId ?? 0,
          Version: null,
        }
      : null,
    scheduledStartTime: options.scheduledStartTime,
    generation: options.generation,
    timestamp: time(options),
  });
}

export function orchestratorStartedEvent(options: EventTiming = {}): OrchestratorStartedEvent {
  return events.orchestratorStarted(time(options));
}

export function orchestratorCompletedEvent(options: EventTiming = {}): OrchestratorCompletedEvent {
  return events.orchestratorCompleted(time(options));
}

export function taskScheduledEvent(
  eventId: number,
  name: string,
  input?: unknown,
  options: EventTiming = {},
): TaskScheduledEvent {
  return events.taskScheduled(eventId, name, toJson(input), time(options));
}

export function taskCompletedEvent(
  taskScheduledId: number,
  result?: unknown,
  options: EventTiming = {},
): TaskCompletedEvent {
  return {
    EventType: HistoryEventType.TaskCompleted,
    EventId: -1,
    IsPlayed: false,
    Timestamp: time(options),
    TaskScheduledId: taskScheduledId,
    Result: toJson(result) ?? "null",
  };
}

export function timerCreatedEvent(
  eventId: number,
  fireAt: string,
  options: EventTiming = {},
): TimerCreatedEvent {
  return events.timerCreated(eventId, fireAt, time(options));
}

export function timerFiredEvent(timerId: number, fireAt: string, options: EventTiming = {}): TimerFiredEvent {
  return {
    EventType: HistoryEventType.TimerFired,
    EventId: -1,
    IsPlayed: false,
    Timestamp: time(options),
    TimerId: timerId,
    FireAt: fireAt,
  };
}

export function eventRaisedEvent(name: string, input?: unknown, options: EventTiming = {}): EventRaisedEvent {
  return events.eventRaised(name, toJson(input), time(options));
}

export function executionCompletedEvent(
  result?: unknown,
  options: EventTiming & { status?: OrchestrationStatusCode } = {},
): ExecutionCompletedEvent {
  return events.executionCompleted(
    options.status ?? OrchestrationStatusCode.Completed,
    toJson(result),
    time(options),
  );
}

export interface TaskMessageOptions {
  /** Null (the default) targets whatever execution is current. */
  executionId?: string | null;
  visibleAt?: string;
  sender?: MessageInstance;
  episode?: number;
}

/** A message carrying `event` to `instanceId`. */
export function messageTo(
  instanceId: string,
  event: HistoryEvent,
  options: TaskMessageOptions = {},
): TaskMessage {
  const message: TaskMessage = { event, instance: { instanceId, executionId: options.executionId ?? null } };
  if (options.visibleAt !== undefined) message.visibleAt = options.visibleAt;
  if (options.sender !== undefined) message.sender = options.sender;
  if (options.episode !== undefined) message.episode = options.episode;
  return message;
}

/** The ExecutionStarted message a client (or a parent) sends to start an instance. */
export function startMessage(
  options: ExecutionStartedOptions & { visibleAt?: string },
): TaskMessage & { event: ExecutionStartedEvent } {
  const event = executionStartedEvent(options);
  const message: TaskMessage & { event: ExecutionStartedEvent } = {
    event,
    instance: { instanceId: options.instanceId, executionId: event.OrchestrationInstance.ExecutionId },
  };
  if (options.visibleAt !== undefined) message.visibleAt = options.visibleAt;
  return message;
}

/** An activity request as a checkpoint sends it: `instanceId` is the scheduling orchestration. */
export function activityRequest(
  instanceId: string,
  executionId: string,
  eventId: number,
  name: string,
  input?: unknown,
): TaskMessage {
  return messageTo(instanceId, taskScheduledEvent(eventId, name, input), { executionId });
}

/** The TaskCompleted response an activity worker sends back for `request`. */
export function activityResponse(request: TaskMessage, result?: unknown): TaskMessage {
  return messageTo(request.instance.instanceId, taskCompletedEvent(request.event.EventId, result), {
    executionId: request.instance.executionId,
  });
}

/** A status row with plain defaults; `overrides` sets what the test is about. */
export function instanceState(
  instanceId: string,
  overrides: Partial<InstanceState> & { runtimeStatus?: RuntimeStatusName } = {},
): InstanceState {
  return {
    instanceId,
    name: "TestOrchestration",
    version: null,
    executionId: "exec-1",
    runtimeStatus: "Running",
    input: null,
    output: null,
    customStatus: null,
    createdTime: DEFAULT_EVENT_TIME,
    lastUpdatedTime: DEFAULT_EVENT_TIME,
    completedTime: null,
    parentInstanceId: null,
    scheduledStartTime: null,
    generation: 0,
    ...overrides,
  };
}

/** A checkpoint that sends, defers and writes nothing but what `parts` says. */
export function orchestrationCheckpoint(
  parts: Partial<OrchestrationCheckpoint> = {},
): OrchestrationCheckpoint {
  return { activityMessages: [], orchestratorMessages: [], deferredMessages: [], ...parts };
}

function time(options: EventTiming): string {
  return options.timestamp ?? DEFAULT_EVENT_TIME;
}

/** Payloads travel as JSON text; undefined means "no payload" (null on the wire). */
function toJson(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}
