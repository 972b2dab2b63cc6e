/** At least one event of every type, with optional fields both set and null, for the codec round-trip tests. */
import {
  HistoryEventType,
  OrchestrationStatusCode,
  type ExecutionStartedEvent,
  type FailureDetails,
  type HistoryEvent,
  type HistoryEventOf,
} from "../../../../src/protocol/history";

const time = "2024-05-01T10:00:00.123Z";
const base = { EventId: -1, IsPlayed: false, Timestamp: time };

export const failure: FailureDetails = {
  ErrorType: "System.InvalidOperationException",
  ErrorMessage: "It broke",
  StackTrace: "at Somewhere()",
  InnerFailure: {
    ErrorType: "Inner",
    ErrorMessage: "cause",
    StackTrace: null,
    InnerFailure: null,
    IsNonRetriable: true,
    Properties: null,
  },
  IsNonRetriable: false,
  Properties: { code: 42, nested: { ok: true } },
};

/** A start with every optional field null. */
export const plainStart: ExecutionStartedEvent = {
  ...base,
  EventType: HistoryEventType.ExecutionStarted,
  OrchestrationInstance: { InstanceId: "plain", ExecutionId: "exec-1" },
  ParentInstance: null,
  Name: "Plain",
  Version: null,
  Input: null,
  Tags: null,
  Correlation: null,
  ParentTraceContext: null,
  ScheduledStartTime: null,
  Generation: 0,
};

export const sampleEvents: readonly HistoryEvent[] = [
  {
    ...base,
    EventType: HistoryEventType.ExecutionStarted,
    OrchestrationInstance: { InstanceId: "child/1", ExecutionId: "exec-2" },
    ParentInstance: {
      Name: "Parent",
      OrchestrationInstance: { InstanceId: "parent", ExecutionId: "exec-1" },
      TaskScheduleId: 3,
      Version: null,
    },
    Name: "Child",
    Version: "1.0",
    Input: '{"city":"Tokyo"}',
    Tags: { team: "core", "dotted.key": "é" },
    Correlation: "corr",
    ParentTraceContext: { TraceParent: "00-abc-def-01", TraceState: null },
    ScheduledStartTime: "2024-05-02T00:00:00.000Z",
    Generation: 2,
  },
  plainStart,
  {
    ...base,
    EventType: HistoryEventType.ExecutionCompleted,
    OrchestrationStatus: OrchestrationStatusCode.Failed,
    Result: null,
    FailureDetails: failure,
  },
  {
    ...base,
    EventType: HistoryEventType.ExecutionCompleted,
    OrchestrationStatus: OrchestrationStatusCode.Completed,
    Result: '"done"',
    FailureDetails: null,
  },
  { ...base, EventType: HistoryEventType.ExecutionTerminated, Input: '"stop"' },
  {
    ...base,
    EventId: 0,
    EventType: HistoryEventType.TaskScheduled,
    Name: "SayHello",
    Version: "",
    Input: '["x"]',
  },
  {
    ...base,
    EventId: 1,
    EventType: HistoryEventType.TaskScheduled,
    Name: "NoInput",
    Version: null,
    Input: null,
  },
  { ...base, EventType: HistoryEventType.TaskCompleted, TaskScheduledId: 0, Result: '"Hello x"' },
  {
    ...base,
    EventType: HistoryEventType.TaskFailed,
    TaskScheduledId: 1,
    Reason: "boom",
    Details: "stack",
    FailureDetails: failure,
  },
  {
    ...base,
    EventId: 2,
    EventType: HistoryEventType.SubOrchestrationInstanceCreated,
    Name: "Child",
    Version: null,
    InstanceId: "child/1",
    Input: "1",
  },
  { ...base, EventType: HistoryEventType.SubOrchestrationInstanceCompleted, TaskScheduledId: 2, Result: "3" },
  {
    ...base,
    EventType: HistoryEventType.SubOrchestrationInstanceFailed,
    TaskScheduledId: 2,
    Reason: "child failed",
    Details: "",
    FailureDetails: null,
  },
  { ...base, EventId: 3, EventType: HistoryEventType.TimerCreated, FireAt: "2024-05-08T10:00:00.000Z" },
  { ...base, EventType: HistoryEventType.TimerFired, TimerId: 3, FireAt: "2024-05-08T10:00:00.000Z" },
  { ...base, EventType: HistoryEventType.OrchestratorStarted, IsPlayed: true },
  { ...base, EventType: HistoryEventType.OrchestratorCompleted },
  {
    ...base,
    EventId: 4,
    EventType: HistoryEventType.EventSent,
    InstanceId: "@counter@k",
    Name: "op",
    Input: "{}",
  },
  { ...base, EventType: HistoryEventType.EventRaised, Name: "Approval", Input: "true" },
  { ...base, EventType: HistoryEventType.EventRaised, Name: "NoPayload", Input: null },
  {
    ...base,
    EventType: HistoryEventType.ContinueAsNew,
    OrchestrationStatus: OrchestrationStatusCode.ContinuedAsNew,
    Result: "5",
    FailureDetails: null,
  },
  { ...base, EventType: HistoryEventType.GenericEvent, Data: "rewind" },
  { ...base, EventType: HistoryEventType.HistoryState, State: { OrchestrationStatus: 0, Name: "x" } },
  { ...base, EventType: HistoryEventType.ExecutionSuspended, Reason: "pause" },
  { ...base, EventType: HistoryEventType.ExecutionResumed, Reason: null },
];

/** A readable test name for an event. */
export function eventLabel(event: HistoryEvent): string {
  return HistoryEventType[event.EventType];
}

/** The first sample of a type. */
export function sampleOf<T extends HistoryEvent["EventType"]>(type: T): HistoryEventOf<T> {
  const event = sampleEvents.find((e): e is HistoryEventOf<T> => e.EventType === type);
  if (!event) throw new Error(`No sample ${HistoryEventType[type]} event.`);
  return event;
}
