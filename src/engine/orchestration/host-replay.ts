import { ActionType, type EntityIdPayload, type OrchestratorAction } from "../../protocol/actions";
import {
  ENTITY_OPERATION_EVENT,
  ENTITY_RELEASE_EVENT,
  entityInstanceId,
  type EntityRequestMessage,
} from "../../protocol/entities";
import { HistoryEventType, type EventRaisedEvent, type HistoryEvent } from "../../protocol/history";
import { SchemaVersion } from "../../protocol/orchestrator-state";
import type { TaskMessage } from "../../providers/task-hub";
import * as events from "../history-events";
import { entityRequestGuid, newGuidN } from "../ids";
import {
  EventWaitTask,
  HttpPollingTask,
  LongTimerTask,
  RetryTask,
  type TaskScheduler,
} from "./durable-tasks";
import {
  HostTask,
  ImmediateTask,
  LeafTask,
  RepeatTask,
  WhenAllTask,
  WhenAnyTask,
  type LeafSchedule,
} from "./host-tasks";
import { completedTaskId, requestIdOf } from "./execution-history";
import { OrchestrationReplayError } from "./replay-error";

export interface ReplayIdentity {
  instanceId: string;
  executionId: string;
  name: string;
}

export interface TimerSettings {
  maximumShortTimerMs: number;
  longRunningTimerIntervalMs: number;
  defaultHttpPollingMs: number;
}

export const HTTP_ACTIVITY_NAME = "BuiltIn::HttpActivity";

/** Actions that stand for one task the worker numbers and waits on, so a compound may yield it again. */
const REPEATABLE_ACTIONS: ReadonlySet<ActionType> = new Set([
  ActionType.CallActivity,
  ActionType.CallActivityWithRetry,
  ActionType.CallSubOrchestrator,
  ActionType.CallSubOrchestratorWithRetry,
  ActionType.CreateTimer,
  ActionType.CallHttp,
  ActionType.CallEntity,
  ActionType.LockEntities,
]);

/** What replaying the actions against history adds to this episode. */
export interface ReplayOutcome {
  /** New scheduling events, in sequence order. */
  newEvents: HistoryEvent[];
  activityMessages: TaskMessage[];
  orchestratorMessages: TaskMessage[];
  /** The input of a ContinueAsNew action, when one was returned. */
  continueAsNew?: { input: unknown };
}

/**
 * Replays the actions an orchestrator returned against the execution's history, as the real
 * host's shim does: tasks are numbered in the order the worker numbers them, recorded
 * scheduling events are checked against them, and tasks history does not hold yet become new
 * events and messages.
 */
export class HostReplay implements TaskScheduler {
  private nextSeq = 0;
  private readonly leaves = new Map<number, LeafTask>();
  private readonly leavesByRequestId = new Map<string, LeafTask>();
  private readonly eventWaiters = new Map<string, EventWaitTask[]>();
  private readonly bufferedEvents = new Map<string, EventRaisedEvent[]>();
  private readonly pending: OrchestratorAction[];
  private blocking: HostTask | undefined;
  private currentTime: Date;
  private heldLock: { id: string; entities: EntityIdPayload[] } | undefined;
  private continueAsNew: { input: unknown } | undefined;
  /** Tasks of earlier actions by the JSON of their action, for compounds that yield them again. */
  private readonly yielded = new Map<string, HostTask[]>();
  /** Tasks of earlier actions that the action being built already yields again. */
  private readonly repeated = new Set<HostTask>();
  /** Tasks the action being built schedules, added to `yielded` once it is built. */
  private building: [string, HostTask][] = [];

  constructor(
    private readonly identity: ReplayIdentity,
    actions: readonly OrchestratorAction[],
    private readonly schemaVersion: SchemaVersion,
    private readonly timers: TimerSettings,
    startTime: Date,
  ) {
    this.pending = [...actions];
    this.currentTime = startTime;
  }

  now(): Date {
    return this.currentTime;
  }

  /**
   * Walks `history` (old and new events of the execution) and returns what must be added.
   * With `finished` (the orchestrator returned or failed) every remaining action is scheduled
   * even if an earlier one is still outstanding, as the host does before completing.
   */
  run(history: readonly HistoryEvent[], finished: boolean): ReplayOutcome {
    this.startReadyActions();
    history.forEach((event, position) => this.apply(event, position));
    if (finished) {
      this.blocking = undefined;
      this.startReadyActions(true);
    }
    return this.collectNew();
  }

  private apply(event: HistoryEvent, position: number): void {
    switch (event.EventType) {
      case HistoryEventType.OrchestratorStarted: {
        const time = new Date(event.Timestamp);
        if (time > this.currentTime) this.currentTime = time;
        return;
      }
      case HistoryEventType.TaskScheduled:
      case HistoryEventType.TimerCreated:
      case HistoryEventType.SubOrchestrationInstanceCreated:
      case HistoryEventType.EventSent:
        this.record(event, position);
        return;
      case HistoryEventType.TaskCompleted:
      case HistoryEventType.TaskFailed:
      case HistoryEventType.SubOrchestrationInstanceCompleted:
      case HistoryEventType.SubOrchestrationInstanceFailed:
      case HistoryEventType.TimerFired:
        this.leaves.get(completedTaskId(event) as number)?.complete(event);
        break;
      case HistoryEventType.EventRaised:
        this.raise(event);
        break;
      default:
        return;
    }
    this.startReadyActions();
  }

  private record(event: HistoryEvent & { EventId: number }, position: number): void {
    const leaf = this.leaves.get(event.EventId);
    const recordedName = "Name" in event ? String(event.Name) : undefined;
    if (!leaf || leaf.expectedType !== event.EventType || !sameName(leaf.expectedName, recordedName)) {
      throw new OrchestrationReplayError(this.identity.instanceId, event, position, leaf?.schedule.event);
    }
    leaf.recorded = true;
    leaf.schedule = { ...leaf.schedule, event };
    if (event.EventType === HistoryEventType.EventSent && leaf.awaitsCompletion) {
      const requestId = requestIdOf(event.Input);
      if (requestId) this.leavesByRequestId.set(requestId, leaf);
    }
  }

  private raise(event: EventRaisedEvent): void {
    const caller = this.leavesByRequestId.get(event.Name);
    if (caller) {
      this.leavesByRequestId.delete(event.Name);
      caller.complete(event);
      return;
    }
    // The worker hands a raised event to the most recent waiter, or keeps it for the next one.
    const waiters = this.eventWaiters.get(event.Name);
    const waiter = waiters?.pop();
    if (waiter) {
      waiter.deliver();
      return;
    }
    const buffer = this.bufferedEvents.get(event.Name) ?? [];
    buffer.push(event);
    this.bufferedEvents.set(event.Name, buffer);
  }

  /** External events no waiter took, in arrival order; continue-as-new carries them over. */
  unconsumedEvents(): EventRaisedEvent[] {
    return [...this.bufferedEvents.values()].flat().sort((a, b) => a.Timestamp.localeCompare(b.Timestamp));
  }

  waitForEvent(task: EventWaitTask): void {
    const buffered = this.bufferedEvents.get(task.eventName);
    if (buffered && buffered.length > 0) {
      buffered.shift();
      task.deliver();
      return;
    }
    const waiters = this.eventWaiters.get(task.eventName) ?? [];
    waiters.push(task);
    this.eventWaiters.set(task.eventName, waiters);
  }

  /** Starts actions in order while the one before has settled or does not block. */
  private startReadyActions(force = false): void {
    while (this.pending.length > 0 && (force || !this.blocking || this.blocking.settled)) {
      const action = this.pending.shift() as OrchestratorAction;
      const task = this.buildAction(action);
      task.start();
      this.blocking = task;
    }
  }

  numberLeaf(build: (seq: number, now: Date) => LeafSchedule, awaitsCompletion: boolean): LeafTask {
    const seq = this.nextSeq++;
    const leaf = new LeafTask(seq, build(seq, this.currentTime), awaitsCompletion);
    this.leaves.set(seq, leaf);
    return leaf;
  }

  timerLeaf(fireAt: Date): LeafTask {
    const fireAtText = fireAt.toISOString();
    return this.numberLeaf(
      (seq, now) => ({
        event: events.timerCreated(seq, fireAtText, now.toISOString()),
        orchestratorMessages: [
          {
            event: {
              EventType: HistoryEventType.TimerFired,
              EventId: -1,
              IsPlayed: false,
              Timestamp: now.toISOString(),
              TimerId: seq,
              FireAt: fireAtText,
            },
            instance: { instanceId: this.identity.instanceId, executionId: this.identity.executionId },
            visibleAt: fireAtText,
          },
        ],
      }),
      true,
    );
  }

  /**
   * The worker numbers tasks, not actions: a task yielded again inside a new WhenAll/WhenAny keeps
   * its number, yet its action is written out again, and the protocol carries no task ids (the
   * real host schedules such a task a second time, and the worker's numbers drift from there).
   * A compound's child whose action is, to the byte, that of a task an earlier action scheduled
   * and history has not completed is therefore taken for that task. A new task identical to a
   * still pending one cannot be told apart; the documented pattern (one timeout timer raced
   * against each attempt) re-yields, so that reading wins.
   */
  private buildAction(action: OrchestratorAction): HostTask {
    this.repeated.clear();
    this.building = [];
    const task = this.toTask(action, false);
    for (const [key, built] of this.building) {
      const same = this.yielded.get(key);
      if (same) same.push(built);
      else this.yielded.set(key, [built]);
    }
    return task;
  }

  /** A still pending task of an earlier action with this action JSON, not yet yielded again here. */
  private pendingTwin(key: string): HostTask | undefined {
    const same = this.yielded.get(key);
    if (!same) return undefined;
    // Settled tasks are dropped when met, so each is looked at once after it settles.
    const pending = same.filter((task) => !task.settled);
    this.yielded.set(key, pending);
    return pending.find((task) => !this.repeated.has(task));
  }

  private toTask(action: OrchestratorAction, inCompound: boolean): HostTask {
    if (!REPEATABLE_ACTIONS.has(action.actionType)) return this.newTask(action);
    const key = JSON.stringify(action);
    if (inCompound) {
      // Outside a compound the worker writes no action for a task it yields again.
      const earlier = this.pendingTwin(key);
      if (earlier) {
        this.repeated.add(earlier);
        return new RepeatTask(earlier);
      }
    }
    const task = this.newTask(action);
    this.building.push([key, task]);
    return task;
  }

  private newTask(action: OrchestratorAction): HostTask {
    switch (action.actionType) {
      case ActionType.CallActivity:
        return this.activityLeaf(action.functionName, action.input);
      case ActionType.CallActivityWithRetry:
        return new RetryTask(this, action.retryOptions, (expired) =>
          expired
            ? this.expiredAttemptLeaf(action.functionName)
            : this.activityLeaf(action.functionName, action.input),
        );
      case ActionType.CallSubOrchestrator:
        return this.subOrchestrationLeaf(
          action.functionName,
          action.instanceId,
          action.version,
          action.input,
        );
      case ActionType.CallSubOrchestratorWithRetry:
        return new RetryTask(this, action.retryOptions, (expired) =>
          expired
            ? this.expiredAttemptLeaf(action.functionName)
            : this.subOrchestrationLeaf(action.functionName, action.instanceId, action.version, action.input),
        );
      case ActionType.CreateTimer:
        return this.timerTask(new Date(action.fireAt));
      case ActionType.WaitForExternalEvent:
        return new EventWaitTask(this, action.externalEventName);
      case ActionType.CallHttp:
        if (
          this.schemaVersion >= SchemaVersion.V3 &&
          action.httpRequest.asynchronousPatternEnabled !== false
        ) {
          return new HttpPollingTask(this, action.httpRequest, this.timers.defaultHttpPollingMs, (request) =>
            this.activityLeaf(HTTP_ACTIVITY_NAME, request),
          );
        }
        return this.activityLeaf(HTTP_ACTIVITY_NAME, action.httpRequest);
      case ActionType.CallEntity:
        return this.entityRequestLeaf(action.instanceId, {
          op: action.operation,
          input: entityInput(action.input),
        });
      case ActionType.SignalEntity:
        return this.entityRequestLeaf(action.instanceId, {
          op: action.operation,
          signal: true,
          input: entityInput(action.input),
        });
      case ActionType.ScheduledSignalEntity:
        return this.entityRequestLeaf(
          action.instanceId,
          { op: action.operation, signal: true, input: entityInput(action.input), due: action.fireAt },
          action.fireAt,
        );
      case ActionType.LockEntities:
        return this.lockLeaf(action.lockRequestId, action.lockSet);
      case ActionType.ReleaseEntities:
        return this.releaseTask();
      case ActionType.ContinueAsNew:
        this.continueAsNew = { input: action.input };
        return new ImmediateTask();
      case ActionType.WhenAll:
        return new WhenAllTask(action.compoundActions.map((a) => this.toTask(a, true)));
      case ActionType.WhenAny:
        return new WhenAnyTask(action.compoundActions.map((a) => this.toTask(a, true)));
    }
  }

  private timerTask(fireAt: Date): HostTask {
    const longTimers = this.schemaVersion >= SchemaVersion.V3;
    if (longTimers && fireAt.getTime() - this.currentTime.getTime() > this.timers.maximumShortTimerMs) {
      return new LongTimerTask(
        this,
        fireAt,
        this.timers.maximumShortTimerMs,
        this.timers.longRunningTimerIntervalMs,
      );
    }
    return this.timerLeaf(fireAt);
  }

  private activityLeaf(name: string, input: unknown): LeafTask {
    // The extension stores activity inputs as a one-element JSON array.
    const inputText = JSON.stringify([input === undefined ? null : input]);
    return this.numberLeaf((seq, now) => {
      const event = events.taskScheduled(seq, name, inputText, now.toISOString());
      return { event, activityMessage: { event, instance: this.self() } };
    }, true);
  }

  /** An attempt past the retry timeout: recorded as scheduled, answered at once with a failure. */
  private expiredAttemptLeaf(name: string): LeafTask {
    return this.numberLeaf((seq, now) => {
      const timestamp = now.toISOString();
      const reason = `'${name}' was not attempted again: the retry timeout has elapsed.`;
      return {
        event: events.taskScheduled(seq, name, null, timestamp),
        orchestratorMessages: [
          {
            event: {
              EventType: HistoryEventType.TaskFailed,
              EventId: -1,
              IsPlayed: false,
              Timestamp: timestamp,
              TaskScheduledId: seq,
              Reason: reason,
              Details: reason,
              FailureDetails: null,
            },
            instance: this.self(),
          },
        ],
      };
    }, true);
  }

  private subOrchestrationLeaf(
    name: string,
    instanceId: string | undefined,
    version: string | undefined,
    input: unknown,
  ): LeafTask {
    return this.numberLeaf((seq, now) => {
      const timestamp = now.toISOString();
      const childId = instanceId || `${this.identity.instanceId}:${seq.toString(16).padStart(4, "0")}`;
      const inputText = input === undefined ? null : JSON.stringify(input);
      const childExecutionId = newGuidN();
      return {
        event: events.subOrchestrationCreated(seq, name, childId, inputText, version ?? null, timestamp),
        orchestratorMessages: [
          {
            event: events.executionStarted({
              instanceId: childId,
              executionId: childExecutionId,
              name,
              input: inputText,
              version: version ?? null,
              timestamp,
              parent: {
                Name: this.identity.name,
                OrchestrationInstance: {
                  InstanceId: this.identity.instanceId,
                  ExecutionId: this.identity.executionId,
                },
                TaskScheduleId: seq,
                Version: null,
              },
            }),
            instance: { instanceId: childId, executionId: childExecutionId },
            sender: this.self(),
          },
        ],
      };
    }, true);
  }

  private entityRequestLeaf(
    target: string,
    request: Omit<EntityRequestMessage, "id" | "parent" | "parentExecution">,
    due?: string,
  ): LeafTask {
    const awaits = request.signal !== true;
    return this.numberLeaf((seq, now) => {
      const requestId = entityRequestGuid(this.identity.instanceId, this.identity.executionId, seq);
      const message: EntityRequestMessage = {
        ...request,
        id: requestId,
        parent: this.identity.instanceId,
        parentExecution: this.identity.executionId,
      };
      const eventName = due ? `${ENTITY_OPERATION_EVENT}@${due}` : ENTITY_OPERATION_EVENT;
      return this.entityMessage(seq, now, target, eventName, message, awaits ? requestId : undefined, due);
    }, awaits);
  }

  private lockLeaf(lockRequestId: string, lockSet: EntityIdPayload[]): LeafTask {
    this.heldLock = { id: lockRequestId, entities: lockSet };
    const first = lockSet[0];
    const target = first ? entityInstanceId(first) : this.identity.instanceId;
    return this.numberLeaf((seq, now) => {
      const message: EntityRequestMessage = {
        id: lockRequestId,
        parent: this.identity.instanceId,
        parentExecution: this.identity.executionId,
        lockset: lockSet,
        pos: 0,
      };
      return this.entityMessage(seq, now, target, ENTITY_OPERATION_EVENT, message, lockRequestId);
    }, true);
  }

  private releaseTask(): HostTask {
    const lock = this.heldLock;
    this.heldLock = undefined;
    const leaves = (lock?.entities ?? []).map((entity) =>
      this.numberLeaf(
        (seq, now) =>
          this.entityMessage(seq, now, entityInstanceId(entity), ENTITY_RELEASE_EVENT, {
            parent: this.identity.instanceId,
            id: lock?.id ?? "",
          }),
        false,
      ),
    );
    return new WhenAllTask(leaves);
  }

  private entityMessage(
    seq: number,
    now: Date,
    target: string,
    eventName: string,
    body: object,
    requestId?: string,
    due?: string,
  ): LeafSchedule {
    const timestamp = now.toISOString();
    const input = JSON.stringify(body);
    return {
      event: events.eventSent(seq, target, eventName, input, timestamp),
      orchestratorMessages: [
        {
          event: events.eventRaised(eventName, input, timestamp),
          instance: { instanceId: target, executionId: null },
          sender: this.self(),
          ...(due ? { visibleAt: due } : {}),
        },
      ],
      requestId,
    };
  }

  private self(): { instanceId: string; executionId: string } {
    return { instanceId: this.identity.instanceId, executionId: this.identity.executionId };
  }

  private collectNew(): ReplayOutcome {
    const outcome: ReplayOutcome = {
      newEvents: [],
      activityMessages: [],
      orchestratorMessages: [],
      continueAsNew: this.continueAsNew,
    };
    const seqs = [...this.leaves.keys()].sort((a, b) => a - b);
    for (const seq of seqs) {
      const leaf = this.leaves.get(seq) as LeafTask;
      if (leaf.recorded || !leaf.released) continue;
      outcome.newEvents.push(leaf.schedule.event);
      if (leaf.schedule.activityMessage) outcome.activityMessages.push(leaf.schedule.activityMessage);
      outcome.orchestratorMessages.push(...(leaf.schedule.orchestratorMessages ?? []));
    }
    return outcome;
  }
}

function sameName(expected: string | undefined, recorded: string | undefined): boolean {
  return expected === undefined || recorded === undefined || expected === recorded;
}

/** Entity inputs travel as JSON text inside the request message. */
function entityInput(input: unknown): string | undefined {
  return input === undefined ? undefined : JSON.stringify(input);
}
