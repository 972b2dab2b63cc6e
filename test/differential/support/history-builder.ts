/**
 * Builds well-formed orchestration histories for tests, episode by episode, the way a host writes
 * them: every episode opens with OrchestratorStarted at the episode's time, and when the history is
 * built, events of earlier episodes are marked IsPlayed and the last episode's are not.
 */
import {
  HistoryEventType,
  SchemaVersion,
  type FailureDetails,
  type HistoryEvent,
  type OrchestrationTriggerPayload,
} from "../../../src/protocol";

export const DEFAULT_START = "2024-01-01T00:00:00.000Z";

export interface TriggerOptions {
  instanceId?: string;
  input?: unknown;
  parentInstanceId?: string | null;
  schema?: SchemaVersion;
  longRunningTimerIntervalDuration?: string;
  maximumShortTimerDuration?: string;
  defaultHttpAsyncRequestSleepTimeMillseconds?: number;
}

/** The trigger payload around a history, with the real host's defaults (V3, Azure Storage timers). */
export function triggerFor(
  history: HistoryEvent[],
  options: TriggerOptions = {},
): OrchestrationTriggerPayload {
  const schema = options.schema ?? SchemaVersion.V3;
  const executionStarted = history.find((event) => event.EventType === HistoryEventType.ExecutionStarted);
  return {
    history,
    input: options.input ?? null,
    instanceId: options.instanceId ?? "instance-1",
    isReplaying: executionStarted?.IsPlayed ?? false,
    parentInstanceId: options.parentInstanceId ?? null,
    // V1 can only be negotiated through the old field, with no truthy new one.
    upperSchemaVersion: schema === SchemaVersion.V1 ? 0 : 1,
    upperSchemaVersionNew: schema === SchemaVersion.V1 ? undefined : schema,
    longRunningTimerIntervalDuration: options.longRunningTimerIntervalDuration ?? "3.00:00:00",
    maximumShortTimerDuration: options.maximumShortTimerDuration ?? "6.00:00:00",
    defaultHttpAsyncRequestSleepTimeMillseconds: options.defaultHttpAsyncRequestSleepTimeMillseconds ?? 30000,
  };
}

export class HistoryBuilder {
  private readonly events: HistoryEvent[] = [];
  private now: Date;

  constructor(start: string | Date = DEFAULT_START) {
    this.now = new Date(start);
  }

  /** The time of the current episode. */
  get time(): Date {
    return new Date(this.now);
  }

  /** Starts a new episode, `advanceMs` after the previous one (or at `at`). */
  episode(advanceMs = 1000, at?: Date): this {
    this.now = at ?? new Date(this.now.getTime() + advanceMs);
    return this.push({ EventType: HistoryEventType.OrchestratorStarted });
  }

  executionStarted(
    options: { name?: string; input?: unknown; version?: string | null; instanceId?: string } = {},
  ): this {
    return this.push({
      EventType: HistoryEventType.ExecutionStarted,
      OrchestrationInstance: { InstanceId: options.instanceId ?? "instance-1", ExecutionId: "exec-1" },
      ParentInstance: null,
      Name: options.name ?? "Orchestrator",
      Version: options.version ?? null,
      Input: options.input === undefined ? null : JSON.stringify(options.input),
      Tags: null,
      Correlation: null,
      ParentTraceContext: null,
      ScheduledStartTime: null,
      Generation: 0,
    });
  }

  orchestratorCompleted(): this {
    return this.push({ EventType: HistoryEventType.OrchestratorCompleted });
  }

  taskScheduled(eventId: number, name: string, input?: unknown): this {
    return this.push({
      EventType: HistoryEventType.TaskScheduled,
      EventId: eventId,
      Name: name,
      Version: null,
      Input: input === undefined ? null : JSON.stringify(input),
    });
  }

  taskCompleted(taskScheduledId: number, result?: unknown): this {
    return this.push({
      EventType: HistoryEventType.TaskCompleted,
      TaskScheduledId: taskScheduledId,
      Result: JSON.stringify(result ?? null),
    });
  }

  taskFailed(
    taskScheduledId: number,
    reason: string,
    details = "",
    failureDetails: FailureDetails | null = null,
  ): this {
    return this.push({
      EventType: HistoryEventType.TaskFailed,
      TaskScheduledId: taskScheduledId,
      Reason: reason,
      Details: details,
      FailureDetails: failureDetails,
    });
  }

  subOrchestrationCreated(eventId: number, name: string, instanceId: string, input?: unknown): this {
    return this.push({
      EventType: HistoryEventType.SubOrchestrationInstanceCreated,
      EventId: eventId,
      Name: name,
      Version: null,
      InstanceId: instanceId,
      Input: input === undefined ? null : JSON.stringify(input),
    });
  }

  subOrchestrationCompleted(taskScheduledId: number, result?: unknown): this {
    return this.push({
      EventType: HistoryEventType.SubOrchestrationInstanceCompleted,
      TaskScheduledId: taskScheduledId,
      Result: JSON.stringify(result ?? null),
    });
  }

  subOrchestrationFailed(
    taskScheduledId: number,
    reason: string,
    details = "",
    failureDetails: FailureDetails | null = null,
  ): this {
    return this.push({
      EventType: HistoryEventType.SubOrchestrationInstanceFailed,
      TaskScheduledId: taskScheduledId,
      Reason: reason,
      Details: details,
      FailureDetails: failureDetails,
    });
  }

  timerCreated(eventId: number, fireAt: Date | string): this {
    return this.push({ EventType: HistoryEventType.TimerCreated, EventId: eventId, FireAt: iso(fireAt) });
  }

  timerFired(timerId: number, fireAt: Date | string): this {
    return this.push({ EventType: HistoryEventType.TimerFired, TimerId: timerId, FireAt: iso(fireAt) });
  }

  eventRaised(name: string, input?: unknown): this {
    return this.push({
      EventType: HistoryEventType.EventRaised,
      Name: name,
      Input: input === undefined ? null : JSON.stringify(input),
    });
  }

  eventSent(eventId: number, targetInstanceId: string, name: string, input: unknown): this {
    return this.push({
      EventType: HistoryEventType.EventSent,
      EventId: eventId,
      InstanceId: targetInstanceId,
      Name: name,
      Input: JSON.stringify(input),
    });
  }

  /** An entity's answer to a call or lock request, raised under the request id. */
  entityResponse(requestId: string, result: unknown, failed = false): this {
    const body: Record<string, unknown> = { result: result === undefined ? null : JSON.stringify(result) };
    if (failed) {
      body.exceptionType = "Error";
    }
    return this.eventRaised(requestId, body);
  }

  continuedAsNew(result: unknown = null): this {
    return this.push({
      EventType: HistoryEventType.ContinueAsNew,
      OrchestrationStatus: 2,
      Result: JSON.stringify(result),
      FailureDetails: null,
    });
  }

  /** Appends an event as given, for histories no well-behaved host would write. */
  raw(event: Record<string, unknown>): this {
    this.events.push(event as unknown as HistoryEvent);
    return this;
  }

  build(): HistoryEvent[] {
    let lastEpisodeStart = -1;
    this.events.forEach((event, index) => {
      if (event.EventType === HistoryEventType.OrchestratorStarted) {
        lastEpisodeStart = index;
      }
    });
    return this.events.map((event, index) => ({ ...event, IsPlayed: index < lastEpisodeStart }));
  }

  private push(fields: Record<string, unknown>): this {
    this.events.push({
      EventId: -1,
      IsPlayed: false,
      Timestamp: this.now.toISOString(),
      ...fields,
    } as unknown as HistoryEvent);
    return this;
  }
}

function iso(date: Date | string): string {
  return typeof date === "string" ? date : date.toISOString();
}
