import { ActionType, SchemaVersion } from "../../protocol";
import { DurableLock } from "../durable-lock";
import { EntityId } from "../entity-id";
import {
  LockingRulesViolationError,
  LockingRulesViolationMessages,
} from "../errors/locking-rules-violation-error";
import { DurableHttpRequest } from "../http/durable-http-request";
import type { RetryOptions } from "../retry-options";
import {
  callActivityAction,
  callActivityWithRetryAction,
  callEntityAction,
  callHttpAction,
  callSubOrchestratorAction,
  callSubOrchestratorWithRetryAction,
  compoundAction,
  continueAsNewAction,
  lockEntitiesAction,
  releaseEntitiesAction,
  signalEntityAction,
  timerAction,
  waitForExternalEventAction,
} from "./actions";
import { deterministicGuid } from "./guid";
import { LockState } from "./lock-state";
import type { OrchestrationRecorder } from "./orchestration-recorder";
import { releaseWork, workOfAction } from "./replay/scheduled-work";
import { AtomicTask } from "./tasks/atomic-task";
import { CallHttpWithPollingTask } from "./tasks/call-http-with-polling-task";
import { DurableTask } from "./tasks/durable-task";
import { DurableTimerTask } from "./tasks/durable-timer-task";
import { LockTask } from "./tasks/lock-task";
import { LongTimerTask } from "./tasks/long-timer-task";
import { RetryableTask } from "./tasks/retryable-task";
import type { TimerScheduler } from "./tasks/timer-scheduler";
import { WhenAllTask } from "./tasks/when-all-task";
import { WhenAnyTask } from "./tasks/when-any-task";
import { formatIsoDuration, totalMilliseconds, type TimeSpan } from "./time-span";
import type { CallHttpOptions, Task, TimerTask } from "./types";

/** Everything the context is built from: the trigger's fields and the replay it reports to. */
export interface OrchestrationContextInit {
  instanceId: string;
  parentInstanceId: string | undefined;
  /** The Version of ExecutionStarted, passed through as the host wrote it (null included). */
  version: string | undefined;
  input: unknown;
  isReplaying: boolean;
  currentUtcDateTime: Date;
  schemaVersion: SchemaVersion;
  maximumShortTimerDuration: TimeSpan | undefined;
  longRunningTimerIntervalDuration: TimeSpan | undefined;
  defaultHttpAsyncRequestSleepTimeMillseconds: number | undefined;
  recorder: OrchestrationRecorder;
}

const HOST_BUG_HINT =
  "This is likely an issue with the Durable Functions Extension. " +
  "Please report this bug here: https://github.com/Azure/azure-functions-durable-js/issues";

/** The durable API of an orchestration: `context.df`. */
export class DurableOrchestrationContext implements TimerScheduler {
  readonly instanceId: string;
  readonly parentInstanceId: string | undefined;
  readonly version: string | undefined;
  /** Whether the code is re-running past work; false once it reaches new events. */
  isReplaying: boolean;
  /** The replay-safe current time: the start of the episode being replayed. */
  currentUtcDateTime: Date;
  /** What `setCustomStatus` last set during this replay. */
  customStatus: unknown;

  readonly Task: { all: (tasks: Task[]) => Task; any: (tasks: Task[]) => Task } = {
    all: (tasks) => new WhenAllTask(requireDurableTasks(tasks, "all"), compoundOf(ActionType.WhenAll, tasks)),
    any: (tasks) => new WhenAnyTask(requireDurableTasks(tasks, "any"), compoundOf(ActionType.WhenAny, tasks)),
  };

  private readonly input: unknown;
  private readonly schemaVersion: SchemaVersion;
  private readonly maximumShortTimerDuration: TimeSpan | undefined;
  private readonly longRunningTimerIntervalDuration: TimeSpan | undefined;
  private readonly defaultHttpAsyncRequestSleepTimeMillseconds: number | undefined;
  private readonly recorder: OrchestrationRecorder;
  private newGuidCounter = 0;
  private currentLock: DurableLock | undefined;

  /**
   * Built by the orchestration handler for each invocation. The argument is optional only so the
   * class has the official package's declared (argument-less) shape; it cannot work without one.
   */
  constructor(init?: OrchestrationContextInit) {
    if (init === undefined) {
      throw new TypeError(
        "DurableOrchestrationContext is created by the orchestration handler, not by user code.",
      );
    }
    this.instanceId = init.instanceId;
    this.parentInstanceId = init.parentInstanceId;
    this.version = init.version;
    this.input = init.input;
    this.isReplaying = init.isReplaying;
    this.currentUtcDateTime = init.currentUtcDateTime;
    this.schemaVersion = init.schemaVersion;
    this.maximumShortTimerDuration = init.maximumShortTimerDuration;
    this.longRunningTimerIntervalDuration = init.longRunningTimerIntervalDuration;
    this.defaultHttpAsyncRequestSleepTimeMillseconds = init.defaultHttpAsyncRequestSleepTimeMillseconds;
    this.recorder = init.recorder;
  }

  getInput<T>(): T {
    return this.input as T;
  }

  callActivity(name: string, input?: unknown): Task {
    return new AtomicTask(false, callActivityAction(name, input));
  }

  callActivityWithRetry(name: string, retryOptions: RetryOptions, input?: unknown): Task {
    const firstAttempt = new AtomicTask(false, callActivityWithRetryAction(name, retryOptions, input));
    return new RetryableTask(firstAttempt, retryOptions);
  }

  callSubOrchestrator(name: string, input?: unknown, instanceId?: string, version?: string): Task {
    this.requireSubOrchestrationAllowed(name);
    return new AtomicTask(false, callSubOrchestratorAction(name, instanceId, input, version));
  }

  callSubOrchestratorWithRetry(
    name: string,
    retryOptions: RetryOptions,
    input?: unknown,
    instanceId?: string,
    version?: string,
  ): Task {
    this.requireSubOrchestrationAllowed(name);
    const action = callSubOrchestratorWithRetryAction(name, retryOptions, input, instanceId, version);
    return new RetryableTask(new AtomicTask(false, action), retryOptions);
  }

  callEntity(entityId: EntityId, operationName: string, operationInput?: unknown): Task {
    if (this.currentLock !== undefined) {
      const target = EntityId.toInstanceId(entityId);
      if (!this.holdsLockOn(target)) {
        throw new LockingRulesViolationError(LockingRulesViolationMessages.CallUnlockedEntity);
      }
      if (this.currentLock.inFlightEntityCalls.has(target)) {
        throw new LockingRulesViolationError(LockingRulesViolationMessages.ParallelSameEntity);
      }
      this.currentLock.inFlightEntityCalls.add(target);
    }
    return new AtomicTask(false, callEntityAction(entityId, operationName, operationInput));
  }

  /**
   * Fire-and-forget operation on an entity. `scheduledTimeUtc` (durable-ts; the official package
   * has no such parameter) delivers it no earlier than that time.
   */
  signalEntity(
    entityId: EntityId,
    operationName: string,
    operationInput?: unknown,
    scheduledTimeUtc?: Date,
  ): void {
    if (this.currentLock !== undefined && this.holdsLockOn(EntityId.toInstanceId(entityId))) {
      throw new LockingRulesViolationError(LockingRulesViolationMessages.SignalLockedEntity);
    }
    const action = signalEntityAction(entityId, operationName, operationInput, scheduledTimeUtc);
    this.recorder.recordFireAndForget(action, workOfAction(action));
  }

  callHttp(options: CallHttpOptions): Task {
    let content: unknown = options.body;
    if (content && typeof content !== "string") {
      content = JSON.stringify(content);
    }
    let enablePolling = true;
    if (options.enablePolling !== undefined) {
      enablePolling = options.enablePolling;
    } else if (options.asynchronousPatternEnabled !== undefined) {
      enablePolling = options.asynchronousPatternEnabled;
    }
    const request = new DurableHttpRequest(
      options.method,
      options.url,
      content as string | undefined,
      options.headers,
      options.tokenSource,
      enablePolling,
    );
    const action = callHttpAction(request);
    if (this.schemaVersion >= SchemaVersion.V3 && request.asynchronousPatternEnabled) {
      if (!this.defaultHttpAsyncRequestSleepTimeMillseconds) {
        throw Error(
          "A framework-internal error was detected: replay schema version >= V3 is being used, " +
            "but `defaultHttpAsyncRequestSleepDuration` property is not defined. " +
            HOST_BUG_HINT,
        );
      }
      return new CallHttpWithPollingTask(
        false,
        action,
        this,
        this.recorder,
        this.defaultHttpAsyncRequestSleepTimeMillseconds,
      );
    }
    return new AtomicTask(false, action);
  }

  continueAsNew(input: unknown): void {
    this.recorder.addToActions(continueAsNewAction(input));
    this.recorder.willContinueAsNew = true;
  }

  createTimer(fireAt: Date): TimerTask {
    return this.createTimerTask(fireAt);
  }

  /** @internal The timer as a task the replay can track; long timers become a chain under V3+. */
  createTimerTask(fireAt: Date): DurableTimerTask | LongTimerTask {
    const action = timerAction(fireAt);
    if (this.schemaVersion >= SchemaVersion.V3) {
      const maximumShortTimer = this.maximumShortTimerDuration;
      const longRunningInterval = this.longRunningTimerIntervalDuration;
      if (!maximumShortTimer || !longRunningInterval) {
        throw Error(
          "A framework-internal error was detected: replay schema version >= V3 is being used, " +
            "but one or more of the properties `maximumShortTimerDuration` and `longRunningTimerIntervalDuration` are not defined. " +
            HOST_BUG_HINT +
            "\n" +
            `maximumShortTimerDuration: ${maximumShortTimer ? formatIsoDuration(maximumShortTimer) : "undefined"}\n` +
            `longRunningTimerIntervalDuration: ${longRunningInterval ? formatIsoDuration(longRunningInterval) : "undefined"}`,
        );
      }
      const maximumShortTimerMs = totalMilliseconds(maximumShortTimer);
      if (fireAt.getTime() - this.currentUtcDateTime.getTime() > maximumShortTimerMs) {
        return new LongTimerTask(action, this, this.recorder, {
          maximumShortTimerMs,
          longRunningTimerIntervalMs: totalMilliseconds(longRunningInterval),
        });
      }
    }
    return new DurableTimerTask(false, action);
  }

  /**
   * A GUID that is the same on every replay: derived from `instanceId`, the current replay time and
   * how many GUIDs this replay has made so far.
   */
  newGuid(instanceId: string): string {
    const name = `${instanceId}_${this.currentUtcDateTime.valueOf()}_${this.newGuidCounter}`;
    this.newGuidCounter++;
    return deterministicGuid(name);
  }

  setCustomStatus(customStatusObject: unknown): void {
    this.customStatus = customStatusObject;
  }

  /** Waits for an event raised to this instance. Events that arrived earlier are kept until asked for. */
  waitForExternalEvent(name: string): Task {
    return new AtomicTask(name, waitForExternalEventAction(name));
  }

  lock(...entities: EntityId[]): Task;
  lock(entities: EntityId[]): Task;
  lock(first?: EntityId | EntityId[], ...rest: EntityId[]): Task {
    if (this.schemaVersion < SchemaVersion.V4) {
      throw new Error(
        `lock requires a Durable Functions extension that supports OOProc schema V4 or higher ` +
          `(this extension supports up to ${schemaName(this.schemaVersion)}). ` +
          "Please upgrade the Microsoft.Azure.WebJobs.Extensions.DurableTask package.",
      );
    }
    if (first === undefined && rest.length === 0) {
      throw new RangeError("lock requires at least one EntityId");
    }
    const requested: unknown[] = Array.isArray(first) ? first : [first, ...rest];
    if (requested.length === 0) {
      throw new RangeError("lock requires at least one EntityId");
    }
    if (!requested.every((entity): entity is EntityId => entity instanceof EntityId)) {
      throw new TypeError("lock expected EntityId[]");
    }
    if (this.currentLock !== undefined) {
      throw new LockingRulesViolationError(LockingRulesViolationMessages.NestedSection);
    }
    const lockSet = sortedDistinctEntities(requested);
    const lockRequestId = this.newGuid(this.instanceId);
    const lock: DurableLock = new DurableLock(lockSet, () => {
      const targets = lockSet.map((entity) => EntityId.toInstanceId(entity));
      this.recorder.recordFireAndForget(releaseEntitiesAction(), releaseWork(targets), lockSet.length);
      if (this.currentLock === lock) {
        this.currentLock = undefined;
      }
    });
    const task = new LockTask(lockEntitiesAction(lockSet, lockRequestId), lock);
    // The section starts when lock() is called, not when its task is yielded.
    this.currentLock = lock;
    return task;
  }

  isLocked(): LockState {
    return this.currentLock === undefined
      ? new LockState(false, [])
      : new LockState(true, [...this.currentLock.ownedLocks]);
  }

  /** @internal Called by the replay when an entity call returns, so another call to it may start. */
  onEntityCallResolved(schedulerId: string): void {
    this.currentLock?.inFlightEntityCalls.delete(schedulerId);
  }

  private requireSubOrchestrationAllowed(name: string): void {
    if (!name) {
      throw new Error(
        "A sub-orchestration function name must be provided when attempting to create a suborchestration",
      );
    }
    if (this.currentLock !== undefined) {
      throw new LockingRulesViolationError(LockingRulesViolationMessages.SubOrchestrationInSection);
    }
  }

  private holdsLockOn(schedulerId: string): boolean {
    return (
      this.currentLock?.ownedLocks.some((entity) => EntityId.toInstanceId(entity) === schedulerId) ?? false
    );
  }
}

function requireDurableTasks(tasks: Task[], method: "all" | "any"): DurableTask[] {
  if (tasks.every((task): task is DurableTask => task instanceof DurableTask)) {
    return tasks;
  }
  throw Error(
    `Task.${method} received a non-valid input. ` +
      "This may occur if it somehow received a non-list input, " +
      "or if the input list's Tasks were corrupted. Please review your orchestrator code and/or file an issue.",
  );
}

function compoundOf(actionType: ActionType.WhenAll | ActionType.WhenAny, tasks: Task[]) {
  return compoundAction(
    actionType,
    tasks.map((task) => (task as DurableTask).action),
  );
}

/** Sorted by scheduler id and de-duplicated: every orchestration then locks in the same order. */
function sortedDistinctEntities(entities: EntityId[]): EntityId[] {
  const sorted = [...entities].sort((a, b) => {
    const left = EntityId.toInstanceId(a);
    const right = EntityId.toInstanceId(b);
    return left < right ? -1 : left > right ? 1 : 0;
  });
  return sorted.filter(
    (entity, index) =>
      index === 0 || EntityId.toInstanceId(sorted[index - 1]) !== EntityId.toInstanceId(entity),
  );
}

function schemaName(version: SchemaVersion): string {
  return ["V1", "V2", "V3", "V4"][version] ?? String(version);
}
