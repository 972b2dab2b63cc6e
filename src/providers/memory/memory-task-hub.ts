import { HistoryEventType, type HistoryEvent } from "../../protocol/history";
import type { RuntimeStatusName } from "../../protocol/status";
import { systemClock, type Clock } from "../clock";
import {
  InstanceExistsError,
  type ActivityWorkItem,
  type InstanceQuery,
  type InstanceQueryPage,
  type InstanceChangeListener,
  type InstanceState,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
  type TaskHub,
  type TaskMessage,
} from "../task-hub";
import { AutoAdvance } from "./auto-advance";
import { ControlQueues } from "./control-queues";
import { InstanceStore } from "./instance-store";
import { queryInstanceStates } from "./instance-query";
import { assertRoutable } from "./queued-message";
import { VirtualClock } from "./virtual-clock";
import { VisibilityAlarm } from "./visibility-alarm";
import { InstanceListeners, pendingInstanceState } from "../instance-states";
import { Waiters } from "../waiters";
import { WorkItemQueue } from "./work-item-queue";

/** A message the engine gave up on, kept for operators and tests as the poison table keeps it. */
export interface PoisonedMessage {
  message: TaskMessage;
  reason: string;
}

export interface MemoryTaskHubOptions {
  /** Defaults to "TestHubName", the Durable Functions default. */
  name?: string;
  /** Defaults to the system clock, or to a new VirtualClock when `autoAdvanceTime` is set. */
  clock?: Clock;
  /**
   * Requires a VirtualClock. When the hub is idle (nothing visible, nothing locked, nothing
   * happening for a macrotask turn), jumps the clock to the next delayed message.
   */
  autoAdvanceTime?: boolean;
}

/**
 * A task hub held in process memory, for tests and local runs. It keeps the parts of
 * DurableTask.AzureStorage that the engine can observe (per-instance message order, one work
 * item per instance, delayed visibility, dedupe on create, checkpoint order) and drops the
 * storage. Everything crossing the boundary is copied, as a real store would serialise it.
 */
export class MemoryTaskHub implements TaskHub {
  readonly name: string;
  readonly clock: Clock;

  private readonly instances = new InstanceStore();
  private readonly controlQueues = new ControlQueues();
  private readonly workItemQueue = new WorkItemQueue();
  /** Locked work items, mapped to the stored copies of the messages they hold. */
  private readonly orchestrationLocks = new Map<OrchestrationWorkItem, TaskMessage[]>();
  private readonly poisoned: PoisonedMessage[] = [];
  private readonly activityLocks = new Map<ActivityWorkItem, TaskMessage>();
  private readonly orchestrationWaiters = new Waiters<OrchestrationWorkItem>();
  private readonly activityWaiters = new Waiters<ActivityWorkItem>();
  private readonly idleWaiters: (() => void)[] = [];
  private readonly instanceListeners = new InstanceListeners();
  private readonly alarm: VisibilityAlarm;
  private readonly autoAdvance: AutoAdvance | undefined;
  private stopped = false;
  private settleScheduled = false;

  constructor(options: MemoryTaskHubOptions = {}) {
    this.name = options.name ?? "TestHubName";
    this.clock = options.clock ?? (options.autoAdvanceTime ? new VirtualClock() : systemClock);
    if (options.autoAdvanceTime) {
      if (!(this.clock instanceof VirtualClock)) {
        throw new TypeError("autoAdvanceTime needs a VirtualClock: a real clock cannot be moved.");
      }
      this.autoAdvance = new AutoAdvance(this.clock, {
        isIdle: () => this.isIdle(),
        nextVisibleMs: () => this.nextVisibleMs(),
      });
    }
    this.alarm = new VisibilityAlarm(this.clock, () => this.afterChange());
  }

  // ---- lifecycle ----

  async createIfNotExists(): Promise<void> {}

  async deleteHub(): Promise<void> {
    this.instances.clear();
    this.controlQueues.clear();
    this.workItemQueue.clear();
    this.orchestrationLocks.clear();
    this.activityLocks.clear();
    this.afterChange();
  }

  async start(): Promise<void> {
    this.stopped = false;
    this.autoAdvance?.setEnabled(true);
    this.afterChange();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.autoAdvance?.setEnabled(false);
    this.orchestrationWaiters.releaseAll();
    this.activityWaiters.releaseAll();
    this.alarm.set(undefined);
  }

  // ---- orchestration work items ----

  async lockNextOrchestrationWorkItem(signal?: AbortSignal): Promise<OrchestrationWorkItem | undefined> {
    if (this.stopped || signal?.aborted) return undefined;
    this.dispatch();
    const workItem = this.lockOrchestration();
    if (workItem) {
      this.afterChange();
      return workItem;
    }
    const waiting = this.orchestrationWaiters.wait(signal);
    this.armAlarm();
    return waiting;
  }

  async completeOrchestrationWorkItem(
    workItem: OrchestrationWorkItem,
    checkpoint: OrchestrationCheckpoint,
  ): Promise<void> {
    this.orchestrationLock(workItem);
    const { instanceId } = workItem;
    // Everything is checked before anything is written, so a bad checkpoint leaves the work
    // item locked and intact for an abandon.
    if (checkpoint.history) this.instances.validateHistoryUpdate(instanceId, checkpoint.history);
    const commit = copyCheckpoint(checkpoint, this.instances.replacesHistory(instanceId, checkpoint.history));
    [...commit.activityMessages, ...commit.orchestratorMessages].forEach(assertRoutable);
    if (commit.state && commit.state.instanceId !== instanceId) {
      throw new Error(
        `A checkpoint of '${instanceId}' cannot write the state of '${commit.state.instanceId}'.`,
      );
    }

    const nowMs = this.nowMs();
    if (commit.poisonReason !== undefined) {
      const reason = commit.poisonReason;
      // A checkpoint that gives up defers nothing: every message of the work item is set aside.
      for (const message of this.orchestrationLock(workItem)) {
        this.poisoned.push({ message: structuredClone(message), reason });
      }
    }
    for (const message of commit.activityMessages) this.workItemQueue.enqueue(message);
    for (const message of commit.orchestratorMessages) this.controlQueues.enqueue(message, nowMs);
    if (commit.history) this.instances.applyHistoryUpdate(instanceId, commit.history);
    if (commit.state) this.instances.setState(commit.state);
    this.orchestrationLocks.delete(workItem);
    this.controlQueues.unlock(instanceId, nowMs, { deferred: commit.deferredMessages });
    this.afterChange();
    if (commit.history || commit.state) this.notifyInstanceChanged(instanceId, commit.state);
  }

  async abandonOrchestrationWorkItem(workItem: OrchestrationWorkItem, retryAfterMs = 0): Promise<void> {
    const messages = this.orchestrationLock(workItem);
    this.orchestrationLocks.delete(workItem);
    const nowMs = this.nowMs();
    this.controlQueues.unlock(workItem.instanceId, nowMs, {
      requeued: messages,
      requeuedAtMs: nowMs + retryAfterMs,
    });
    this.afterChange();
  }

  /** The messages set aside as poison (see `OrchestrationCheckpoint.poisonReason`), oldest first. */
  poisonedMessages(instanceId?: string): PoisonedMessage[] {
    return this.poisoned
      .filter((p) => instanceId === undefined || p.message.instance.instanceId === instanceId)
      .map((p) => structuredClone(p));
  }

  // ---- activity work items ----

  async lockNextActivityWorkItem(signal?: AbortSignal): Promise<ActivityWorkItem | undefined> {
    if (this.stopped || signal?.aborted) return undefined;
    this.dispatch();
    const workItem = this.lockActivity();
    if (workItem) {
      this.afterChange();
      return workItem;
    }
    const waiting = this.activityWaiters.wait(signal);
    this.armAlarm();
    return waiting;
  }

  async completeActivityWorkItem(workItem: ActivityWorkItem, response: TaskMessage): Promise<void> {
    this.activityLock(workItem);
    const message = structuredClone(response);
    assertRoutable(message);
    this.controlQueues.enqueue(message, this.nowMs());
    this.activityLocks.delete(workItem);
    this.afterChange();
  }

  async abandonActivityWorkItem(workItem: ActivityWorkItem): Promise<void> {
    const message = this.activityLock(workItem);
    this.activityLocks.delete(workItem);
    this.workItemQueue.requeue(message);
    this.afterChange();
  }

  // ---- client side ----

  async createInstance(
    startMessage: TaskMessage,
    dedupeStatuses: readonly RuntimeStatusName[],
  ): Promise<void> {
    const message = structuredClone(startMessage);
    assertRoutable(message);
    const event = message.event;
    if (event.EventType !== HistoryEventType.ExecutionStarted) {
      throw new TypeError(
        `createInstance needs an ExecutionStarted message, not event type ${event.EventType}.`,
      );
    }
    const instanceId = message.instance.instanceId;
    const existing = this.instances.getState(instanceId);
    if (existing && dedupeStatuses.includes(existing.runtimeStatus)) {
      throw new InstanceExistsError(instanceId, existing.runtimeStatus);
    }
    const now = this.clock.now();
    // As in AzureStorage: the message goes first, then the Pending row.
    this.controlQueues.enqueue(message, now.getTime());
    this.instances.setState(pendingInstanceState(message, event, now, existing));
    this.afterChange();
    this.notifyInstanceChanged(instanceId);
  }

  async sendMessage(message: TaskMessage): Promise<void> {
    const copy = structuredClone(message);
    assertRoutable(copy);
    this.controlQueues.enqueue(copy, this.nowMs());
    this.afterChange();
  }

  async getInstance(instanceId: string): Promise<InstanceState | undefined> {
    return structuredClone(this.instances.getState(instanceId));
  }

  async getHistory(instanceId: string): Promise<HistoryEvent[]> {
    // A copy the caller may change, unlike the frozen events work items share.
    return structuredClone([...(this.instances.getHistory(instanceId) ?? [])]);
  }

  async queryInstances(query: InstanceQuery): Promise<InstanceQueryPage> {
    const page = structuredClone(queryInstanceStates(this.instances.allStates(), query));
    if (query.fetchInputsAndOutputs === false) {
      for (const state of page.instances) {
        state.input = null;
        state.output = null;
      }
    }
    return page;
  }

  async purgeInstance(instanceId: string): Promise<number> {
    const removed = this.instances.delete(instanceId);
    this.controlQueues.purge(instanceId);
    this.afterChange();
    if (removed) this.notifyInstanceChanged(instanceId);
    return removed ? 1 : 0;
  }

  onInstanceChanged(listener: InstanceChangeListener): () => void {
    return this.instanceListeners.subscribe(listener);
  }

  // ---- inspection, for tests and harnesses ----

  /** True when no message is visible and no work item is locked (delayed messages may wait). */
  isIdle(): boolean {
    this.dispatch();
    const nowMs = this.nowMs();
    return (
      !this.controlQueues.hasReady &&
      this.controlQueues.lockedCount === 0 &&
      this.activityLocks.size === 0 &&
      !this.workItemQueue.hasVisible(nowMs)
    );
  }

  /** Resolves once the hub is idle (see `isIdle`); at once when it already is. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Messages waiting in queues, delayed and deferred ones included, not those held by work items. */
  pendingMessageCount(): number {
    return this.controlQueues.messageCount + this.workItemQueue.size;
  }

  /** Orchestration and activity work items currently locked. */
  lockedWorkItemCount(): number {
    return this.orchestrationLocks.size + this.activityLocks.size;
  }

  /** When the next delayed message becomes visible, if one waits. */
  nextVisibleAt(): Date | undefined {
    const ms = this.nextVisibleMs();
    return ms === undefined ? undefined : new Date(ms);
  }

  // ---- internals ----

  private nowMs(): number {
    return this.clock.now().getTime();
  }

  private nextVisibleMs(): number | undefined {
    const nowMs = this.nowMs();
    this.controlQueues.releaseDue(nowMs);
    const times = [this.controlQueues.nextDelayedMs(), this.workItemQueue.nextDelayedMs(nowMs)];
    const defined = times.filter((ms): ms is number => ms !== undefined);
    return defined.length > 0 ? Math.min(...defined) : undefined;
  }

  private lockOrchestration(): OrchestrationWorkItem | undefined {
    const batch = this.controlQueues.takeNext(this.nowMs());
    if (!batch) return undefined;
    const { instanceId, messages } = batch;
    // A batch that starts an execution sees the history of that execution only (none, when
    // the id is being reused), as AzureStorage loads history by the batch's execution id.
    const first = messages[0]?.event;
    const executionId =
      first?.EventType === HistoryEventType.ExecutionStarted
        ? first.OrchestrationInstance.ExecutionId
        : undefined;
    const workItem: OrchestrationWorkItem = {
      instanceId,
      // Stored events are frozen, so sharing them keeps the store intact without a copy per
      // episode (a copy would make a long history's episodes quadratic).
      history: [...(this.instances.getHistory(instanceId, executionId) ?? [])],
      state: structuredClone(this.instances.getState(instanceId)),
      messages: structuredClone(messages),
    };
    this.orchestrationLocks.set(workItem, messages);
    return workItem;
  }

  private lockActivity(): ActivityWorkItem | undefined {
    const message = this.workItemQueue.takeNext(this.nowMs());
    if (!message) return undefined;
    const workItem: ActivityWorkItem = { message: structuredClone(message) };
    this.activityLocks.set(workItem, message);
    return workItem;
  }

  private orchestrationLock(workItem: OrchestrationWorkItem): TaskMessage[] {
    const messages = this.orchestrationLocks.get(workItem);
    if (!messages) throw new Error(`The work item of '${workItem.instanceId}' is not locked by this hub.`);
    return messages;
  }

  private activityLock(workItem: ActivityWorkItem): TaskMessage {
    const message = this.activityLocks.get(workItem);
    if (!message) throw new Error("The activity work item is not locked by this hub.");
    return message;
  }

  /** Hands ready work to parked lockers, oldest first. */
  private dispatch(): void {
    this.controlQueues.releaseDue(this.nowMs());
    while (this.orchestrationWaiters.size > 0) {
      const workItem = this.lockOrchestration();
      if (!workItem || !this.orchestrationWaiters.serve(workItem)) break;
    }
    while (this.activityWaiters.size > 0) {
      const workItem = this.lockActivity();
      if (!workItem || !this.activityWaiters.serve(workItem)) break;
    }
    this.armAlarm();
  }

  /** A real timer is only needed while somebody waits for work; callers look for themselves. */
  private armAlarm(): void {
    const waiting = this.orchestrationWaiters.size + this.activityWaiters.size > 0 && !this.stopped;
    this.alarm.set(waiting ? this.nextVisibleMs() : undefined);
  }

  /**
   * Runs once after the changes of one macrotask turn. Deferring to the check phase lets every
   * request already read from the network add its messages first, so a burst (many events
   * raised at once) becomes one batch instead of one episode per message.
   */
  private afterChange(): void {
    // Noted now, not when settling: auto-advance must not jump the clock over a change that is
    // still to be dispatched.
    this.autoAdvance?.noteActivity();
    if (this.settleScheduled) return;
    this.settleScheduled = true;
    setImmediate(() => {
      this.settleScheduled = false;
      this.settle();
    });
  }

  /** Serves waiters, settles idle waiters, lets auto-advance look. */
  private settle(): void {
    this.dispatch();
    if (this.idleWaiters.length > 0 && this.isIdle()) {
      for (const resolve of this.idleWaiters.splice(0)) resolve();
    }
    this.autoAdvance?.noteActivity();
  }

  private notifyInstanceChanged(instanceId: string, state?: InstanceState): void {
    this.instanceListeners.notify(instanceId, state);
  }
}

/**
 * A copy of the checkpoint that shares nothing with the caller. Of an appended history only the
 * new events are copied (the earlier ones are stored already); the copied events are frozen,
 * as the store hands them out without copying.
 */
function copyCheckpoint(
  checkpoint: OrchestrationCheckpoint,
  replacesHistory: boolean,
): OrchestrationCheckpoint {
  const { history, ...rest } = checkpoint;
  const commit: OrchestrationCheckpoint = structuredClone(rest);
  if (!history) return commit;
  const kept = replacesHistory
    ? history.events
    : history.events.slice(history.events.length - history.newEventCount);
  const events = kept.map((event) => deepFreeze(structuredClone(event)));
  commit.history = { executionId: history.executionId, events, newEventCount: events.length };
  if (replacesHistory) commit.history.rewritten = true;
  return commit;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const property of Object.values(value)) deepFreeze(property);
  }
  return value;
}
