import type { EntityIdPayload } from "../../protocol/actions";
import {
  ENTITY_OPERATION_EVENT,
  ENTITY_RELEASE_EVENT,
  parseEntityInstanceId,
  type EntityReleaseMessage,
  type EntityRequestMessage,
  type EntitySignalPayload,
} from "../../protocol/entities";
import { HistoryEventType, type HistoryEvent } from "../../protocol/history";
import type { Clock } from "../../providers/clock";
import {
  emptyCheckpoint,
  type InstanceState,
  type MessageInstance,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
  type TaskMessage,
} from "../../providers/task-hub";
import * as events from "../history-events";
import { entitySignalGuid, newGuid, newGuidN } from "../ids";
import type { FunctionInvoker } from "../invoker";
import { executeEntityBatch, failedBatch, type ExecutedBatch } from "./entity-batch-execution";
import { HandledRequests } from "./handled-requests";
import { continueMessage, entityResponse, entitySignal, lockProgress, redelivery } from "./entity-messages";
import {
  entityStatusOf,
  isEmptyScheduler,
  parseJsonObject,
  readSchedulerState,
  serializeSchedulerState,
  type SchedulerState,
} from "./scheduler-state";

export interface EntityRunnerSettings {
  /** Operations handed to the entity function at once (host.json maxEntityOperationBatchSize). */
  maxEntityOperationBatchSize: number;
}

export const defaultEntityRunnerSettings: EntityRunnerSettings = { maxEntityOperationBatchSize: 5000 };

/** Scheduled signals this close to their time run now rather than go round the queue again. */
const EARLY_DELIVERY_TOLERANCE_MS = 100;

/**
 * Runs one batch of an entity: the work item's requests join the entity's queue, as many as
 * the lock and the batch size allow run through the entity function, callers get their answers,
 * a lock request is granted and passed on, and the scheduler state is stored as the input of the
 * entity's single execution, replacing the previous one.
 */
export class EntityRunner {
  constructor(
    private readonly invoker: FunctionInvoker,
    private readonly clock: Clock,
    private readonly settings: EntityRunnerSettings = defaultEntityRunnerSettings,
  ) {}

  async run(workItem: OrchestrationWorkItem): Promise<OrchestrationCheckpoint> {
    const checkpoint = emptyCheckpoint();
    const entity = parseEntityInstanceId(workItem.instanceId);
    const now = this.clock.now();
    const timestamp = now.toISOString();
    const executionId = executionIdOf(workItem.history) ?? newGuidN();
    const self: MessageInstance = { instanceId: workItem.instanceId, executionId };
    const scheduler = readSchedulerState(workItem.history);
    const before = serializeSchedulerState(scheduler);
    const handled = HandledRequests.from(scheduler.handled);

    checkpoint.orchestratorMessages.push(...this.takeMessages(scheduler, handled, workItem.messages, now));
    const { operations, lockRequest } = this.nextWork(scheduler);
    const taken = [...operations, ...(lockRequest ? [lockRequest] : [])].map((request) => request.id);
    // Pruned only with a batch that takes requests, so an idle batch still writes nothing.
    if (taken.length > 0) scheduler.handled = handled.withBatch(taken, now);

    if (operations.length > 0) {
      const executed = await this.execute(entity, scheduler, operations);
      scheduler.exists = executed.after.exists;
      scheduler.state = executed.after.state ?? undefined;
      checkpoint.orchestratorMessages.push(...this.outcomeMessages(operations, executed, self, timestamp));
    }
    if (lockRequest) {
      scheduler.lockedBy = lockRequest.parent;
      scheduler.lockRequestId = lockRequest.id;
      checkpoint.orchestratorMessages.push(lockProgress(lockRequest, self, timestamp));
    }
    if (this.nextEligible(scheduler) !== undefined) {
      checkpoint.orchestratorMessages.push(continueMessage(self, timestamp));
    }

    const after = serializeSchedulerState(scheduler);
    // Nothing ran and nothing changed: no write, and no record for an entity that never existed.
    const stored = workItem.history.length > 0;
    if (operations.length === 0 && after === before && (stored || isEmptyScheduler(scheduler)))
      return checkpoint;
    checkpoint.history = {
      executionId,
      events: [
        events.orchestratorStarted(timestamp),
        events.executionStarted({
          instanceId: workItem.instanceId,
          executionId,
          name: entity.name,
          input: after,
          timestamp,
        }),
        events.orchestratorCompleted(timestamp),
      ],
      newEventCount: 3,
      rewritten: true,
    };
    checkpoint.state = entityInstanceState(workItem, entity.name, executionId, scheduler, after, timestamp);
    return checkpoint;
  }

  /**
   * Sorts the incoming messages into the scheduler: requests join the queue (the lock holder's
   * ahead of everyone else's), releases unlock. A request already queued or handled recently is
   * a redelivery (its message outlived the batch that took it) and is dropped: each request
   * runs, or is granted, once. Returns messages to send: early scheduled signals.
   */
  private takeMessages(
    scheduler: SchedulerState,
    handled: HandledRequests,
    messages: readonly TaskMessage[],
    now: Date,
  ): TaskMessage[] {
    const resend: TaskMessage[] = [];
    const fromHolder: EntityRequestMessage[] = [];
    const queue = scheduler.queue ?? [];
    const queued = new Set(queue.map((request) => request.id));
    for (const message of messages) {
      const event = message.event;
      if (event.EventType !== HistoryEventType.EventRaised) continue;
      if (event.Name === ENTITY_OPERATION_EVENT || event.Name.startsWith(`${ENTITY_OPERATION_EVENT}@`)) {
        const request = parseJsonObject<EntityRequestMessage>(event.Input);
        if (!request || typeof request.id !== "string") continue;
        if (queued.has(request.id) || handled.has(request.id)) continue;
        if (request.due && Date.parse(request.due) - now.getTime() > EARLY_DELIVERY_TOLERANCE_MS) {
          resend.push(redelivery(message, request.due));
          continue;
        }
        queued.add(request.id);
        const holds = scheduler.lockedBy !== undefined && request.parent === scheduler.lockedBy;
        (holds ? fromHolder : queue).push(request);
      } else if (event.Name === ENTITY_RELEASE_EVENT) {
        const release = parseJsonObject<EntityReleaseMessage>(event.Input);
        if (release && releases(scheduler, release)) {
          scheduler.lockedBy = undefined;
          scheduler.lockRequestId = undefined;
          // What the holder sent is ordinary work again.
          queue.unshift(...fromHolder.splice(0));
        }
      }
    }
    scheduler.queue = [...fromHolder, ...queue];
    return resend;
  }

  /** Takes operations off the queue, up to the batch size, stopping after a lock request. */
  private nextWork(scheduler: SchedulerState): {
    operations: EntityRequestMessage[];
    lockRequest?: EntityRequestMessage;
  } {
    const operations: EntityRequestMessage[] = [];
    while (operations.length < this.settings.maxEntityOperationBatchSize) {
      const index = this.nextEligible(scheduler);
      if (index === undefined) break;
      const [request] = (scheduler.queue as EntityRequestMessage[]).splice(index, 1) as [
        EntityRequestMessage,
      ];
      // Operations before the lock request run first, as they arrived first.
      if (request.lockset) return { operations, lockRequest: request };
      operations.push(request);
    }
    return { operations };
  }

  /** The queue position of the next request that may run: any, or while locked the holder's first. */
  private nextEligible(scheduler: SchedulerState): number | undefined {
    const queue = scheduler.queue ?? [];
    const index =
      scheduler.lockedBy === undefined
        ? queue.length > 0
          ? 0
          : -1
        : queue.findIndex((r) => r.parent === scheduler.lockedBy);
    return index >= 0 ? index : undefined;
  }

  private execute(
    entity: EntityIdPayload,
    scheduler: SchedulerState,
    operations: EntityRequestMessage[],
  ): Promise<ExecutedBatch> {
    const name = entity.name;
    const before = { exists: scheduler.exists === true, state: scheduler.state ?? null };
    if (!this.invoker.hasFunction("entity", name)) {
      const message = `The function '${name}' doesn't exist, is disabled, or is not an entity function.`;
      return Promise.resolve(failedBatch(before, operations.length, Date.now(), message));
    }
    return executeEntityBatch(
      (request) => this.invoker.invokeEntity(name, request),
      entity,
      before,
      operations,
    );
  }

  /** Answers to the callers and the signals the operations sent. */
  private outcomeMessages(
    operations: readonly EntityRequestMessage[],
    executed: ExecutedBatch,
    self: MessageInstance,
    timestamp: string,
  ): TaskMessage[] {
    const messages: TaskMessage[] = [];
    operations.forEach((request, index) => {
      const result = executed.results[index];
      if (request.signal || !request.parent || !result) return;
      const answer = result.isError
        ? { result: result.result ?? null, exceptionType: "Error" }
        : { result: result.result ?? null };
      messages.push(entityResponse(request, answer, self, timestamp));
    });
    const ids = signalIds(self.instanceId, operations, executed.signals);
    executed.signals.forEach((signal, index) => {
      messages.push(
        entitySignal(signal.target, signal.name, signal.input || undefined, timestamp, {
          id: ids[index],
          parent: self.instanceId,
          sender: self,
          due: dueTime(signal.scheduledTime, timestamp),
        }),
      );
    });
    return messages;
  }
}

/**
 * The ids of a batch's signals, numbered by the operation that sent each when the worker says
 * which (both SDKs do): a batch that runs again after its commit was lost sends the same ids,
 * and the target drops the copies. A requestId that names none of the batch's operations could
 * repeat in another batch, so it is not trusted and the signal gets a new id.
 */
function signalIds(
  sender: string,
  operations: readonly EntityRequestMessage[],
  signals: readonly EntitySignalPayload[],
): string[] {
  const operationIds = new Set(operations.map((request) => request.id));
  const sentBy = new Map<string, number>();
  return signals.map((signal) => {
    const from = signal.requestId;
    if (from === undefined || !operationIds.has(from)) return newGuid();
    const index = sentBy.get(from) ?? 0;
    sentBy.set(from, index + 1);
    return entitySignalGuid(sender, from, index);
  });
}

/**
 * Whether a release opens the lock: it must come from the holder and name the request that was
 * granted. A release without an id (the client's clean-up of an orphaned lock), or a lock
 * granted by a runtime that did not keep the id, is matched by holder alone.
 */
function releases(scheduler: SchedulerState, release: EntityReleaseMessage): boolean {
  if (release.parent !== scheduler.lockedBy) return false;
  return !release.id || !scheduler.lockRequestId || release.id === scheduler.lockRequestId;
}

/** A signal's due time when it is still ahead; a past or unreadable one goes at once. */
function dueTime(scheduledTime: string | undefined, now: string): string | undefined {
  if (!scheduledTime) return undefined;
  const due = Date.parse(scheduledTime);
  return Number.isNaN(due) || due <= Date.parse(now) ? undefined : new Date(due).toISOString();
}

function executionIdOf(history: readonly HistoryEvent[]): string | undefined {
  const started = history.find((e) => e.EventType === HistoryEventType.ExecutionStarted);
  return started?.EventType === HistoryEventType.ExecutionStarted
    ? started.OrchestrationInstance.ExecutionId
    : undefined;
}

/** The Instances row of an entity: always Running, its scheduler state as input, its status as custom status. */
function entityInstanceState(
  workItem: OrchestrationWorkItem,
  name: string,
  executionId: string,
  scheduler: SchedulerState,
  input: string,
  timestamp: string,
): InstanceState {
  return {
    instanceId: workItem.instanceId,
    name,
    version: null,
    executionId,
    runtimeStatus: "Running",
    input,
    output: null,
    customStatus: JSON.stringify(entityStatusOf(scheduler)),
    createdTime: workItem.state?.createdTime ?? timestamp,
    lastUpdatedTime: timestamp,
    completedTime: null,
    parentInstanceId: null,
    scheduledStartTime: null,
    generation: workItem.state?.generation ?? 0,
  };
}
