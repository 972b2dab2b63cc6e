/**
 * History events as the Durable Functions extension serialises them to the out-of-proc worker:
 * PascalCase fields (Newtonsoft over the DTFx [DataMember] names) and an integer EventType.
 * Payload fields (Input, Result) are strings that hold JSON text.
 */

export enum HistoryEventType {
  ExecutionStarted = 0,
  ExecutionCompleted = 1,
  ExecutionFailed = 2,
  ExecutionTerminated = 3,
  TaskScheduled = 4,
  TaskCompleted = 5,
  TaskFailed = 6,
  SubOrchestrationInstanceCreated = 7,
  SubOrchestrationInstanceCompleted = 8,
  SubOrchestrationInstanceFailed = 9,
  TimerCreated = 10,
  TimerFired = 11,
  OrchestratorStarted = 12,
  OrchestratorCompleted = 13,
  EventSent = 14,
  EventRaised = 15,
  ContinueAsNew = 16,
  GenericEvent = 17,
  HistoryState = 18,
  ExecutionSuspended = 19,
  ExecutionResumed = 20,
}

/** The DTFx OrchestrationStatus enum, as stored in ExecutionCompleted.OrchestrationStatus. */
export enum OrchestrationStatusCode {
  Running = 0,
  Completed = 1,
  ContinuedAsNew = 2,
  Failed = 3,
  Canceled = 4,
  Terminated = 5,
  Pending = 6,
  Suspended = 7,
}

export interface OrchestrationInstanceRef {
  InstanceId: string;
  ExecutionId: string;
}

export interface ParentInstanceInfo {
  Name: string | null;
  OrchestrationInstance: OrchestrationInstanceRef;
  TaskScheduleId: number;
  Version: string | null;
}

/** Structured failure information, recursive through InnerFailure. */
export interface FailureDetails {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace: string | null;
  InnerFailure: FailureDetails | null;
  IsNonRetriable: boolean;
  Properties: Record<string, unknown> | null;
}

interface HistoryEventBase<T extends HistoryEventType> {
  EventType: T;
  /** Sequence number for scheduling events; -1 for every other event. */
  EventId: number;
  IsPlayed: boolean;
  /** ISO-8601 UTC. */
  Timestamp: string;
}

export interface ExecutionStartedEvent extends HistoryEventBase<HistoryEventType.ExecutionStarted> {
  OrchestrationInstance: OrchestrationInstanceRef;
  ParentInstance: ParentInstanceInfo | null;
  Name: string;
  Version: string | null;
  Input: string | null;
  Tags: Record<string, string> | null;
  Correlation: string | null;
  ParentTraceContext: unknown;
  ScheduledStartTime: string | null;
  Generation: number;
}

export interface ExecutionCompletedEvent extends HistoryEventBase<HistoryEventType.ExecutionCompleted> {
  OrchestrationStatus: OrchestrationStatusCode;
  Result: string | null;
  FailureDetails: FailureDetails | null;
}

export interface ExecutionTerminatedEvent extends HistoryEventBase<HistoryEventType.ExecutionTerminated> {
  Input: string | null;
}

export interface TaskScheduledEvent extends HistoryEventBase<HistoryEventType.TaskScheduled> {
  Name: string;
  Version: string | null;
  Input: string | null;
}

export interface TaskCompletedEvent extends HistoryEventBase<HistoryEventType.TaskCompleted> {
  TaskScheduledId: number;
  Result: string;
}

export interface TaskFailedEvent extends HistoryEventBase<HistoryEventType.TaskFailed> {
  TaskScheduledId: number;
  Reason: string;
  Details: string;
  FailureDetails: FailureDetails | null;
}

export interface SubOrchestrationInstanceCreatedEvent extends HistoryEventBase<HistoryEventType.SubOrchestrationInstanceCreated> {
  Name: string;
  Version: string | null;
  InstanceId: string;
  Input: string | null;
}

export interface SubOrchestrationInstanceCompletedEvent extends HistoryEventBase<HistoryEventType.SubOrchestrationInstanceCompleted> {
  TaskScheduledId: number;
  Result: string;
}

export interface SubOrchestrationInstanceFailedEvent extends HistoryEventBase<HistoryEventType.SubOrchestrationInstanceFailed> {
  TaskScheduledId: number;
  Reason: string;
  Details: string;
  FailureDetails: FailureDetails | null;
}

export interface TimerCreatedEvent extends HistoryEventBase<HistoryEventType.TimerCreated> {
  FireAt: string;
}

export interface TimerFiredEvent extends HistoryEventBase<HistoryEventType.TimerFired> {
  TimerId: number;
  FireAt: string;
}

export type OrchestratorStartedEvent = HistoryEventBase<HistoryEventType.OrchestratorStarted>;

export type OrchestratorCompletedEvent = HistoryEventBase<HistoryEventType.OrchestratorCompleted>;

export interface EventSentEvent extends HistoryEventBase<HistoryEventType.EventSent> {
  /** The target instance. */
  InstanceId: string;
  Name: string;
  Input: string | null;
}

export interface EventRaisedEvent extends HistoryEventBase<HistoryEventType.EventRaised> {
  Name: string;
  Input: string | null;
}

export interface ContinueAsNewEvent extends HistoryEventBase<HistoryEventType.ContinueAsNew> {
  OrchestrationStatus: OrchestrationStatusCode;
  Result: string | null;
  FailureDetails: FailureDetails | null;
}

export interface GenericEvent extends HistoryEventBase<HistoryEventType.GenericEvent> {
  Data: string | null;
}

export interface HistoryStateEvent extends HistoryEventBase<HistoryEventType.HistoryState> {
  State: unknown;
}

export interface ExecutionSuspendedEvent extends HistoryEventBase<HistoryEventType.ExecutionSuspended> {
  Reason: string | null;
}

export interface ExecutionResumedEvent extends HistoryEventBase<HistoryEventType.ExecutionResumed> {
  Reason: string | null;
}

export type HistoryEvent =
  | ExecutionStartedEvent
  | ExecutionCompletedEvent
  | ExecutionTerminatedEvent
  | TaskScheduledEvent
  | TaskCompletedEvent
  | TaskFailedEvent
  | SubOrchestrationInstanceCreatedEvent
  | SubOrchestrationInstanceCompletedEvent
  | SubOrchestrationInstanceFailedEvent
  | TimerCreatedEvent
  | TimerFiredEvent
  | OrchestratorStartedEvent
  | OrchestratorCompletedEvent
  | EventSentEvent
  | EventRaisedEvent
  | ContinueAsNewEvent
  | GenericEvent
  | HistoryStateEvent
  | ExecutionSuspendedEvent
  | ExecutionResumedEvent;

/** The event of a given type, e.g. `HistoryEventOf<HistoryEventType.TaskCompleted>`. */
export type HistoryEventOf<T extends HistoryEventType> = Extract<HistoryEvent, { EventType: T }>;
