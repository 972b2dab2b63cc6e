import {
  ActionType,
  HistoryEventType,
  type EventSentEvent,
  type HistoryEvent,
  type SchemaVersion,
} from "../../protocol";
import { NonDeterministicOrchestrationError } from "../errors/non-deterministic-orchestration-error";
import { TaskFailedError, failureDetailsToWire } from "../errors/task-failed-error";
import type { ActionDraft } from "./actions";
import type { OrchestrationRecorder } from "./orchestration-recorder";
import { buildOrchestratorState, type OrchestratorStateDraft } from "./orchestrator-state";
import { ReplayLedger, isSchedulingEvent } from "./replay/replay-ledger";
import { failureOf, readEntityResponse, resultOf } from "./replay/completion-values";
import type { ScheduledWork } from "./replay/scheduled-work";
import { advance, messageOf, notATaskMessage, type UserCode } from "./replay/user-code";
import { CompoundTask } from "./tasks/compound-task";
import { DurableTask } from "./tasks/durable-task";
import { LockTask } from "./tasks/lock-task";
import { PlaceholderTask } from "./tasks/placeholder-task";
import { TaskState, type TaskBase } from "./tasks/task-base";
import type { OrchestrationContext, OrchestrationHandler } from "./types";

/** The outcome of one replay: the state to return, or the state to report a failure with. */
export interface ReplayResult {
  failed: boolean;
  state: OrchestratorStateDraft;
}

/** Completion events: which field names the task they complete, and whether they are successes. */
const COMPLETIONS: ReadonlyMap<HistoryEventType, { key: string; success: boolean }> = new Map([
  [HistoryEventType.TaskCompleted, { key: "TaskScheduledId", success: true }],
  [HistoryEventType.TimerFired, { key: "TimerId", success: true }],
  [HistoryEventType.SubOrchestrationInstanceCompleted, { key: "TaskScheduledId", success: true }],
  [HistoryEventType.EventRaised, { key: "Name", success: true }],
  [HistoryEventType.TaskFailed, { key: "TaskScheduledId", success: false }],
  [HistoryEventType.SubOrchestrationInstanceFailed, { key: "TaskScheduledId", success: false }],
]);

/**
 * Replays one orchestration execution: feeds the history to the user's generator, event by event,
 * and collects the actions it yields. It is pure: the same history and code give the same state.
 *
 * It follows durable-functions 3.5.0 step for step (how tasks are numbered and matched, events that
 * arrive before anyone waits for them, how failures surface) so both SDKs produce the same state for
 * the same history. On top of that it checks every scheduling event of the history against what the
 * code scheduled under the same sequence number, and fails with a NonDeterministicOrchestrationError
 * on a mismatch, where the official worker would wait forever or feed results to the wrong tasks.
 */
export class OrchestrationReplay implements OrchestrationRecorder {
  willContinueAsNew = false;

  private currentTask: TaskBase = PlaceholderTask.completed();
  private sequenceNumber = 0;
  private actions: ActionDraft[] = [];
  /** Leaves waiting for their completion event, by sequence number (or entity request id). */
  private openTasks = new Map<string, TaskBase>();
  /** Tasks waiting for an external event, by event name; the latest waiter is served first. */
  private openEvents = new Map<string, TaskBase[]>();
  /** Completions that arrived before their task was tracked, replayed when it is (oldest first). */
  private deferred = new Map<string, (() => void)[]>();
  private output: unknown = undefined;
  private exception: unknown = undefined;
  private returned = false;
  private replaying = false;
  private mismatch: NonDeterministicOrchestrationError | undefined;
  private readonly ledger: ReplayLedger;
  private context!: OrchestrationContext["df"];
  private code!: UserCode;

  constructor(
    private readonly instanceId: string,
    private readonly schemaVersion: SchemaVersion,
  ) {
    this.ledger = new ReplayLedger(instanceId);
  }

  /** Runs `handler` over `history`; `invocation.df` must already hold this replay's context. */
  run(
    invocation: OrchestrationContext,
    history: HistoryEvent[],
    handler: OrchestrationHandler,
  ): ReplayResult {
    this.context = invocation.df;
    // A handler that throws before returning a generator fails the invocation itself, as in the official worker.
    this.code = handler(invocation) as unknown as UserCode;

    let lastEpisodeStart = -1;
    history.forEach((event, index) => {
      if (event.EventType === HistoryEventType.OrchestratorStarted) {
        lastEpisodeStart = index;
      }
    });

    let index = 0;
    for (; index < history.length; index++) {
      this.replaying = index < lastEpisodeStart;
      this.processEvent(history[index], index);
      if (this.isDoneExecuting()) {
        break;
      }
    }
    if (this.mismatch === undefined) {
      this.checkEventsAfterTheEnd(history, index + 1);
    }
    return this.mismatch !== undefined ? this.nonDeterministicResult(this.mismatch) : this.result();
  }

  track(task: TaskBase): void {
    if (task instanceof CompoundTask) {
      // for...of on purpose: children added while tracking (retries) are visited as well.
      for (const child of task.children) {
        this.track(child);
      }
      return;
    }
    if (task.id === false) {
      task.id = this.sequenceNumber++;
      this.openTasks.set(String(task.id), task);
      this.ledger.record(task.id, task.scheduledWork());
    } else if (task.action?.actionType === ActionType.WaitForExternalEvent) {
      const waiters = this.openEvents.get(String(task.id)) ?? [];
      waiters.push(task);
      this.openEvents.set(String(task.id), waiters);
    }
    const early = this.deferred.get(String(task.id));
    if (early !== undefined && early.length > 0) {
      const deliver = early.shift() as () => void;
      if (early.length === 0) {
        this.deferred.delete(String(task.id));
      }
      deliver();
    }
  }

  addToActions(action: ActionDraft): void {
    if (!this.willContinueAsNew) {
      this.actions.push(action);
    }
  }

  recordFireAndForget(action: ActionDraft, work: ScheduledWork | undefined, count = 1): void {
    if (this.willContinueAsNew) {
      return;
    }
    this.addToActions(action);
    for (let offset = 0; offset < count; offset++) {
      this.ledger.record(this.sequenceNumber + offset, work);
    }
    this.sequenceNumber += count;
  }

  private isDoneExecuting(): boolean {
    return (
      this.returned || this.willContinueAsNew || this.exception !== undefined || this.mismatch !== undefined
    );
  }

  private processEvent(event: HistoryEvent, index: number): void {
    switch (event.EventType) {
      case HistoryEventType.OrchestratorStarted:
        this.onOrchestratorStarted(event);
        return;
      case HistoryEventType.ContinueAsNew:
        this.restart();
        return;
      case HistoryEventType.ExecutionStarted:
        this.resume();
        return;
      case HistoryEventType.TaskScheduled:
      case HistoryEventType.SubOrchestrationInstanceCreated:
      case HistoryEventType.TimerCreated:
        this.verifyScheduled(event, index);
        return;
      case HistoryEventType.EventSent:
        if (this.verifyScheduled(event, index)) {
          this.onEventSent(event);
        }
        return;
      default: {
        const completion = COMPLETIONS.get(event.EventType);
        if (completion !== undefined) {
          this.complete(event, completion.success, completion.key);
          this.resume();
        }
      }
    }
  }

  /** Every episode starts here; time only moves forward. */
  private onOrchestratorStarted(event: HistoryEvent): void {
    const timestamp = new Date(event.Timestamp);
    if (timestamp > this.context.currentUtcDateTime) {
      this.context.currentUtcDateTime = timestamp;
    }
  }

  /** A ContinueAsNew event in the history starts the execution over. */
  private restart(): void {
    this.currentTask = PlaceholderTask.completed();
    this.sequenceNumber = 0;
    this.willContinueAsNew = false;
    this.actions = [];
    this.openTasks = new Map();
    this.openEvents = new Map();
    this.deferred = new Map();
    this.output = undefined;
    this.exception = undefined;
    this.returned = false;
    this.replaying = false;
    this.ledger.clear();
  }

  /**
   * Entity calls and lock requests are answered under the request id the host chose, which the
   * EventSent of their sequence number reveals; from then on the task waits under that id.
   */
  private onEventSent(event: EventSentEvent): void {
    const key = String(event.EventId);
    const task = this.openTasks.get(key);
    const kind = task?.action?.actionType;
    if (task !== undefined && (kind === ActionType.CallEntity || kind === ActionType.LockEntities)) {
      const request = JSON.parse(event.Input as string) as { id?: unknown };
      this.openTasks.delete(key);
      this.openTasks.set(String(request.id), task);
    }
  }

  private verifyScheduled(event: HistoryEvent, index: number): boolean {
    const mismatch = this.ledger.check(event, index);
    if (mismatch !== undefined) {
      this.mismatch = new NonDeterministicOrchestrationError(mismatch);
      return false;
    }
    return true;
  }

  /**
   * The replay stops as soon as the code returns or fails, but a history that goes on recording
   * scheduled work the code never asked for means the code took a different path this time.
   */
  private checkEventsAfterTheEnd(history: HistoryEvent[], from: number): void {
    for (let index = from; index < history.length; index++) {
      const event = history[index];
      if (event.EventType === HistoryEventType.ContinueAsNew) {
        return;
      }
      if (isSchedulingEvent(event) && !this.verifyScheduled(event, index)) {
        return;
      }
    }
  }

  /** Settles the task a completion event is for; completions nobody waits for yet are kept. */
  private complete(event: HistoryEvent, success: boolean, keyField: string): void {
    const key: unknown = (event as unknown as Record<string, unknown>)[keyField];
    if (typeof key !== "number" && typeof key !== "string") {
      throw Error(
        `Task with ID ${String(key)} could not be retrieved from due to its ID-key being of type ${typeof key}. ` +
          "We expect ID-keys to be of type number or string. " +
          "This is probably a replay failure, please file a bug report.",
      );
    }
    const name = String(key);
    let task = this.openTasks.get(name);
    const waiters = this.openEvents.get(name);
    if (task !== undefined) {
      this.openTasks.delete(name);
    } else if (waiters !== undefined) {
      task = waiters.pop() as TaskBase;
      if (waiters.length === 0) {
        this.openEvents.delete(name);
      }
    } else {
      const early = this.deferred.get(name) ?? [];
      early.push(() => this.complete(event, success, keyField));
      this.deferred.set(name, early);
      return;
    }

    let isSuccess = success;
    let value: unknown;
    if (isSuccess) {
      value = resultOf(event);
      if (task.action?.actionType === ActionType.CallEntity) {
        const response = readEntityResponse(value);
        value = response.result ? JSON.parse(response.result) : undefined;
        if (response.exceptionType !== undefined) {
          value = new Error(value as string);
          isSuccess = false;
        }
      } else if (task instanceof LockTask) {
        value = task.lock;
      }
    } else {
      value = failureOf(event, task);
    }
    task.isPlayed = event.IsPlayed;
    task.setValue(!isSuccess, value, this);
    if (task.action?.actionType === ActionType.CallEntity) {
      this.context.onEntityCallResolved(task.action.instanceId);
    }
  }

  /** Runs the code on from where it waits, for as long as what it waits for is already settled. */
  private resume(): void {
    for (;;) {
      const waitedOn = this.currentTask;
      this.context.isReplaying = this.replaying || waitedOn.isPlayed;
      if (waitedOn.state === TaskState.Running) {
        return;
      }
      let next: DurableTask;
      try {
        const step = advance(this.code, waitedOn.state === TaskState.Completed, waitedOn.result);
        if (step.done) {
          this.returned = true;
          this.output = step.value;
          return;
        }
        if (!(step.value instanceof DurableTask)) {
          throw Error(notATaskMessage(step.value));
        }
        next = step.value;
      } catch (error) {
        this.exception = error;
        return;
      }
      this.currentTask = next;
      if (next.state === TaskState.Running) {
        if (!next.alreadyScheduled) {
          markScheduled(next);
          this.addToActions(next.action);
        }
        this.track(next);
        if (next.state === TaskState.Running) {
          return;
        }
      }
    }
  }

  private result(): ReplayResult {
    const exception = this.exception;
    const state = buildOrchestratorState({
      isDone: this.returned || this.willContinueAsNew,
      actions: this.actions,
      output: this.output,
      error: messageOf(exception),
      customStatus: this.context.customStatus,
      schemaVersion: this.schemaVersion,
      failureDetails:
        exception instanceof TaskFailedError ? failureDetailsToWire(exception.failureDetails) : undefined,
    });
    return { failed: exception !== undefined, state };
  }

  /** No actions: what the code asked for this time does not belong to this history. */
  private nonDeterministicResult(error: NonDeterministicOrchestrationError): ReplayResult {
    const state = buildOrchestratorState({
      isDone: false,
      actions: [],
      output: undefined,
      error: error.message,
      customStatus: this.context.customStatus,
      schemaVersion: this.schemaVersion,
      failureDetails: { ErrorType: error.name, ErrorMessage: error.message, IsNonRetriable: true },
    });
    return { failed: true, state };
  }
}

function markScheduled(task: TaskBase): void {
  if (task instanceof DurableTask) {
    task.alreadyScheduled = true;
  }
  if (task instanceof CompoundTask) {
    for (const child of task.children) {
      markScheduled(child);
    }
  }
}
