import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import { isEntityInstanceId } from "../../protocol/entities";
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
import { InstanceListeners, pendingInstanceState } from "../instance-states";
import { ActivityLocks } from "./activity-locks";
import type { StorageClients } from "./connection";
import { ControlQueueDispatcher } from "./control-queue-dispatch";
import { HistoryTable, type LoadedHistory } from "./history-table";
import { InstanceTable, type StoredInstance } from "./instance-table";
import { LargePayloadStore } from "./large-payloads";
import { MessageQueue, takeSequenceNumber, type ReceivedMessage } from "./message-queue";
import {
  DEFAULT_PARTITION_COUNT,
  escapePartitionKey,
  partitionIndexOf,
  taskHubResourceNames,
  validatePartitionCount,
  validateTaskHubName,
  type TaskHubResourceNames,
} from "./names";
import { TablePartitionManager } from "./partition-manager";
import { checkpointMadeProgress, senderStamp } from "./checkpoint-facts";
import { PoisonTable } from "./poison-table";
import { ReceivedMessageScreen } from "./received-message-screen";
import { writeTaskHubInfo } from "./task-hub-info";
import { SessionCache, type SessionState } from "./session-cache";
import { StatusRowWriter, type RowPromise } from "./status-row-writer";
import type { SessionBatch } from "./session-buffer";
import { mapWithConcurrency } from "./concurrency";
import { unfiredTimerDueTimes } from "./unfired-timers";
import { classifyStorageFailure } from "./storage-failures";
import { FollowOnFailure, isFollowOnFailure } from "../failures";

export interface AzureStorageTaskHubOptions {
  clients: StorageClients;
  hubName: string;
  /** Control queues; 1 to 16, fixed for the life of the hub. Default 4. */
  partitionCount?: number;
  /** Unique per process; defaults to host name, pid and a random suffix. */
  workerId?: string;
  /** Messages per control-queue receive, at most 32. */
  controlQueueBatchSize?: number;
  /** Received control messages held in memory before the pollers pause. */
  controlQueueBufferThreshold?: number;
  controlQueueVisibilityTimeoutMs?: number;
  workItemQueueVisibilityTimeoutMs?: number;
  /** The longest idle wait between polls of a queue. */
  maxQueuePollingIntervalMs?: number;
  /** A message delivered more often than this is poison. Default 20. */
  maxDequeueCount?: number;
  /** Partition lease timings (tests shorten them). */
  leaseIntervalMs?: number;
  leaseRenewIntervalMs?: number;
  leaseAcquireIntervalMs?: number;
  /** The longest a queue message is hidden in one go; longer delays are sent again. Default 6 days. */
  maxMessageDelayMs?: number;
  clock?: Clock;
  /** Where background errors go; the hub keeps running. Default: console.error. */
  onError?: (error: unknown, context: string) => void;
}

interface LockedSession extends SessionState {
  batch: SessionBatch;
  /** Work item message copy -> the queue message it came from. */
  sources: Map<TaskMessage, ReceivedMessage>;
  /** Set once the batch left the buffer before its commit ended: the messages it consumed. */
  released?: ReceivedMessage[];
  /** Set when the instance could not be read: `history` is empty, not the instance's. */
  unloaded?: boolean;
}

/**
 * A work item's own copies of a batch's messages (the engine may change them), each mapped to
 * the queue message it came from. Screened batches hold readable messages only.
 */
function copyMessages(batch: SessionBatch): {
  messages: TaskMessage[];
  sources: Map<TaskMessage, ReceivedMessage>;
} {
  const sources = new Map<TaskMessage, ReceivedMessage>();
  const messages = batch.messages.flatMap((received) => {
    if (!received.message) return [];
    const copy = structuredClone(received.message);
    sources.set(copy, received);
    return [copy];
  });
  return { messages, sources };
}

/** The history a commit starts from: once the commit still in flight for it has its ETag. */
async function settledHistory(session: SessionState): Promise<LoadedHistory> {
  return session.committed ? { ...session.history, etag: await session.committed } : session.history;
}

/**
 * A task hub in an Azure Storage account (or Azurite), laid out as DurableTask.AzureStorage
 * lays it out, so several processes can share it: each control queue is owned by one process
 * at a time through the partition table, activities are shared through the work-item queue.
 */
export class AzureStorageTaskHub implements TaskHub {
  readonly name: string;
  readonly clock: Clock;
  readonly resources: TaskHubResourceNames;
  readonly workerId: string;

  private readonly settings: Required<
    Pick<
      AzureStorageTaskHubOptions,
      | "partitionCount"
      | "controlQueueBatchSize"
      | "controlQueueBufferThreshold"
      | "controlQueueVisibilityTimeoutMs"
      | "workItemQueueVisibilityTimeoutMs"
      | "maxQueuePollingIntervalMs"
      | "maxDequeueCount"
    >
  >;
  private readonly payloads: LargePayloadStore;
  private readonly history: HistoryTable;
  private readonly instances: InstanceTable;
  readonly poison: PoisonTable;
  private readonly controlQueues: MessageQueue[];
  private readonly workItemQueue: MessageQueue;
  private partitions: TablePartitionManager;
  private readonly dispatcher: ControlQueueDispatcher;
  private readonly sessions = new Map<OrchestrationWorkItem, LockedSession>();
  private readonly activities: ActivityLocks;
  private readonly screen: ReceivedMessageScreen;
  private readonly instanceListeners = new InstanceListeners();
  private readonly reportError: (error: unknown, context: string) => void;
  private running = false;
  private readonly sessionCache = new SessionCache();
  /** The last history commit under way per instance: a read from storage waits for it. */
  private readonly commitsInFlight = new Map<string, Promise<string | undefined>>();
  private readonly rowWriter: StatusRowWriter;

  constructor(private readonly options: AzureStorageTaskHubOptions) {
    validateTaskHubName(options.hubName);
    const partitionCount = options.partitionCount ?? DEFAULT_PARTITION_COUNT;
    validatePartitionCount(partitionCount);
    this.name = options.hubName;
    this.clock = options.clock ?? systemClock;
    this.workerId = options.workerId ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.settings = {
      partitionCount,
      controlQueueBatchSize: Math.min(32, options.controlQueueBatchSize ?? 32),
      controlQueueBufferThreshold: options.controlQueueBufferThreshold ?? 256,
      controlQueueVisibilityTimeoutMs: options.controlQueueVisibilityTimeoutMs ?? 5 * 60_000,
      workItemQueueVisibilityTimeoutMs: options.workItemQueueVisibilityTimeoutMs ?? 5 * 60_000,
      maxQueuePollingIntervalMs: options.maxQueuePollingIntervalMs ?? 30_000,
      maxDequeueCount: options.maxDequeueCount ?? 20,
    };
    this.reportError =
      options.onError ?? ((error, context) => console.error(`durable azure storage: ${context}:`, error));

    const { clients } = options;
    this.resources = taskHubResourceNames(options.hubName, partitionCount);
    this.payloads = new LargePayloadStore(
      clients.blobService.getContainerClient(this.resources.largeMessagesContainer),
    );
    this.history = new HistoryTable(clients.table(this.resources.historyTable), this.payloads);
    this.instances = new InstanceTable(
      clients.table(this.resources.instancesTable),
      this.payloads,
      this.name,
    );
    this.rowWriter = new StatusRowWriter(this.instances, (error) =>
      this.reportError(error, "writing a status row"),
    );
    this.poison = new PoisonTable(clients.table(this.resources.poisonTable), this.payloads);
    this.controlQueues = this.resources.controlQueues.map(
      (queueName) =>
        new MessageQueue(
          clients.queueService.getQueueClient(queueName),
          this.payloads,
          options.maxMessageDelayMs,
        ),
    );
    this.workItemQueue = new MessageQueue(
      clients.queueService.getQueueClient(this.resources.workItemQueue),
      this.payloads,
    );
    this.screen = new ReceivedMessageScreen({
      poison: this.poison,
      maxDequeueCount: this.settings.maxDequeueCount,
      clock: this.clock,
      sendToInstance: (message, nowMs) => this.sendToInstance(message, nowMs),
      reportError: this.reportError,
    });
    this.activities = new ActivityLocks(this.workItemQueue, {
      visibilityTimeoutMs: this.settings.workItemQueueVisibilityTimeoutMs,
      maxPollingIntervalMs: this.settings.maxQueuePollingIntervalMs,
      screen: (received) => this.screen.screenActivity(this.workItemQueue, received),
      onError: (error) => this.reportError(error, "work-item queue"),
    });
    this.dispatcher = new ControlQueueDispatcher({
      settings: this.settings,
      queueNamed: (queueName) => this.queueNamed(queueName),
      controlQueueOf: (instanceId) => this.controlQueueOf(instanceId),
      screen: this.screen,
      openSessions: () => this.sessions.values(),
      forgetSessions: () => this.sessionCache.clear(),
      isRunning: () => this.running,
      clock: this.clock,
      reportError: this.reportError,
    });
    this.partitions = this.newPartitionManager();
  }

  /** A manager runs once: a hub that is started again after a stop gets a new one. */
  private newPartitionManager(): TablePartitionManager {
    const { clients } = this.options;
    return new TablePartitionManager({
      table: clients.table(this.resources.partitionsTable),
      partitionNames: this.resources.controlQueues,
      workerId: this.workerId,
      leaseIntervalMs: this.options.leaseIntervalMs,
      renewIntervalMs: this.options.leaseRenewIntervalMs,
      acquireIntervalMs: this.options.leaseAcquireIntervalMs,
      onAcquired: (queueName) => this.dispatcher.startPolling(queueName),
      onReleased: (queueName) => this.dispatcher.stopPolling(queueName),
      onError: (error) => this.reportError(error, "partition leases"),
    });
  }

  // ---- lifecycle ----

  async createIfNotExists(): Promise<void> {
    const { clients } = this.options;
    const leases = clients.blobService.getContainerClient(this.resources.leasesContainer);
    await leases.createIfNotExists();
    await writeTaskHubInfo(leases, this.name, this.settings.partitionCount, this.clock.now());
    await Promise.all([
      this.history.client.createTable(),
      this.instances.client.createTable(),
      this.poison.client.createTable(),
      this.partitions.createLeases(),
      this.payloads.ensureContainer(),
      this.workItemQueue.create(),
      ...this.controlQueues.map((queue) => queue.create()),
    ]);
  }

  async deleteHub(): Promise<void> {
    await this.stop();
    const { clients } = this.options;
    await Promise.all([
      ...[
        this.resources.historyTable,
        this.resources.instancesTable,
        this.resources.partitionsTable,
        this.resources.poisonTable,
      ].map((table) => clients.tableService.deleteTable(table)),
      this.workItemQueue.delete(),
      ...this.controlQueues.map((queue) => queue.delete()),
      ...[this.resources.leasesContainer, this.resources.largeMessagesContainer].map((container) =>
        clients.blobService.getContainerClient(container).deleteIfExists(),
      ),
    ]);
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.activities.start();
    this.dispatcher.start();
    await this.partitions.start();
  }

  /** The service URLs of the storage account, e.g. to recognise this hub's requests. */
  storageEndpoints(): { blob: string; queue: string; table: string } {
    const { clients } = this.options;
    return {
      blob: clients.blobService.url,
      queue: clients.queueService.url,
      table: clients.tableService.url,
    };
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.dispatcher.stop();
    // Rows and message deletions of committed episodes finish before the leases go.
    await this.rowWriter.settled();
    await this.activities.stop();
    await this.partitions.stop();
    this.partitions = this.newPartitionManager();
    await this.dispatcher.stopPollingAll();
    this.dispatcher.clear();
    this.sessions.clear();
    this.sessionCache.clear();
  }

  /** The control queues this process owns now. */
  ownedPartitions(): ReadonlySet<string> {
    return this.partitions.ownedPartitions();
  }

  // ---- orchestration work items ----

  async lockNextOrchestrationWorkItem(signal?: AbortSignal): Promise<OrchestrationWorkItem | undefined> {
    while (this.running && !signal?.aborted) {
      const batch = this.dispatcher.takeNextBatch() ?? (await this.dispatcher.waitForBatch(signal));
      if (!batch) return undefined;
      try {
        return await this.openSession(batch);
      } catch (error) {
        // Handed out all the same: the engine counts the failure against the instance alone,
        // retries with back-off and in the end fails the instance, instead of retrying for ever.
        return this.openUnloadedSession(batch, error);
      }
    }
    return undefined;
  }

  async completeOrchestrationWorkItem(
    workItem: OrchestrationWorkItem,
    checkpoint: OrchestrationCheckpoint,
  ): Promise<void> {
    try {
      await this.commitEpisode(workItem, checkpoint);
    } catch (error) {
      throw classifyStorageFailure(error);
    }
  }

  /** Sends, history, status row, deletes: one episode's commit (see completeOrchestrationWorkItem). */
  private async commitEpisode(
    workItem: OrchestrationWorkItem,
    checkpoint: OrchestrationCheckpoint,
  ): Promise<void> {
    const session = this.session(workItem);
    const { instanceId } = workItem;
    if (checkpoint.state && checkpoint.state.instanceId !== instanceId) {
      throw new Error(
        `A checkpoint of '${instanceId}' cannot write the state of '${checkpoint.state.instanceId}'.`,
      );
    }
    const nowMs = this.clock.now().getTime();
    if (checkpoint.poisonReason !== undefined) {
      // Kept before anything else happens, so that a message given up on is never just lost.
      const reason = checkpoint.poisonReason;
      await mapWithConcurrency(
        session.batch.messages.map((m) => () => this.poison.record(m, reason, nowMs)),
        8,
      );
    }
    const stamp = senderStamp(workItem, checkpoint);
    // Outbound first: a crash after this duplicates messages, which replay tolerates; a crash
    // before the history commit can then never lose one.
    await mapWithConcurrency<unknown>(
      [
        ...checkpoint.activityMessages.map((message) => () => this.sendActivity(stamp(message), nowMs)),
        ...checkpoint.orchestratorMessages.map((message) => () => this.sendToInstance(stamp(message), nowMs)),
      ],
      32,
    );
    // An orchestration's next episode may run now: its messages are out, and its history
    // commit will follow this one's (see `committed`). Should this commit fail, that one fails.
    const deferred = new Set(checkpoint.deferredMessages.map((m) => this.sourceOf(session, m)));
    const consumed = session.batch.messages.filter((m) => !deferred.has(m));
    const update = checkpoint.history;
    const before = settledHistory(session).catch((error: unknown) => {
      // Said once, however long the chain of episodes built on the failed commit.
      throw isFollowOnFailure(error) ? error : new FollowOnFailure(error);
    });
    const committed: Promise<LoadedHistory> = before.then(async (loaded) =>
      update
        ? {
            events: update.events,
            etag: await this.history.commit(instanceId, update, loaded, nowMs),
            executionId: update.executionId,
          }
        : loaded,
    );
    const etag = committed.then((loaded) => loaded.etag);
    // A failure is this call's to report; the next episode, if any, sees it through `etag`.
    etag.catch(() => undefined);
    this.commitsInFlight.set(instanceId, etag);
    let settleRow: (row: RowPromise) => void = () => undefined;
    const nextRow: RowPromise = new Promise((resolve) => (settleRow = resolve));
    // A failed row write is reported by the writer; the next write starts over without it.
    nextRow.catch(() => undefined);
    const state = checkpoint.state ?? session.state;
    const pipelined: SessionState = {
      history: update
        ? { events: update.events, etag: undefined, executionId: update.executionId }
        : session.history,
      committed: etag,
      state,
      row: nextRow,
    };
    const release = () => {
      // What an unloaded session holds is no history: the next episode reads the instance.
      if (session.unloaded) this.sessionCache.delete(instanceId);
      else this.sessionCache.set(instanceId, pipelined);
      session.released = consumed;
      // A message deferred because what it answers was missing may fit the history this
      // episode wrote. Retried only after real progress, so a message that still does not fit
      // rests.
      this.dispatcher.unlock(
        instanceId,
        consumed,
        [...deferred].filter((m): m is ReceivedMessage => m !== undefined),
        checkpointMadeProgress(checkpoint),
      );
    };
    // An entity waits for its commit: were the commit to fail, a batch run on its state would
    // have sent answers and lock grants that a second try need not repeat (an orchestration
    // repeats its actions exactly, so its duplicates are dropped).
    const speculative = !isEntityInstanceId(instanceId);
    if (speculative) release();

    let history: LoadedHistory;
    try {
      history = await committed;
      if (!speculative) release();
    } catch (error) {
      settleRow(session.row);
      // Someone else may have written the instance: the next episode reads it afresh.
      this.sessionCache.delete(instanceId);
      throw error;
    } finally {
      if (this.commitsInFlight.get(instanceId) === etag) this.commitsInFlight.delete(instanceId);
    }

    // The episode is committed. The status row, the waiters' notice and the deletion of this
    // episode's messages follow, in that order.
    const changed = update !== undefined || checkpoint.state !== undefined;
    const { row, done } = this.rowWriter.write(instanceId, checkpoint.state, session.row, (written) =>
      this.afterRow(instanceId, consumed, written, changed ? checkpoint.state : null),
    );
    settleRow(row);
    this.sessions.delete(workItem);
    // Unless a later episode has taken its place, the entry now holds the committed history;
    // without the sentinel's new ETag the next commit could not be guarded: read it again then.
    if (this.sessionCache.peek(instanceId) === pipelined) {
      if (history.etag === undefined || session.unloaded) this.sessionCache.delete(instanceId);
      else this.sessionCache.set(instanceId, { history, state, row });
    }
    // Resolves once the row is written too: clients of this hub read their writes.
    await done;
  }

  /**
   * After an episode's status row write: waiters are told (`notice` is the state they hear of,
   * null when nothing changed) and the consumed messages deleted; or, when the row could not be
   * written, the messages are given back, so the engine repairs the row from the history when
   * they come again. Not an entity's: its operations are in its history already and would be
   * applied twice; its next batch starts from that history and writes the row again.
   */
  private async afterRow(
    instanceId: string,
    consumed: readonly ReceivedMessage[],
    written: boolean,
    notice: InstanceState | undefined | null,
  ): Promise<void> {
    if (!written) {
      this.sessionCache.delete(instanceId);
      if (!isEntityInstanceId(instanceId)) return this.giveBack(consumed);
    } else if (notice !== null) {
      this.notifyInstanceChanged(instanceId, notice);
    }
    await mapWithConcurrency(
      consumed.map((received) => () => this.queueNamed(received.queueName).remove(received)),
      32,
    );
  }

  async abandonOrchestrationWorkItem(workItem: OrchestrationWorkItem, retryAfterMs?: number): Promise<void> {
    const session = this.session(workItem);
    this.sessions.delete(workItem);
    const { batch, released } = session;
    if (retryAfterMs === 0) {
      // Still hidden in their queues and held here: the next locker of the instance takes them.
      if (released) this.dispatcher.deliver(released);
      else this.dispatcher.retryBatch(batch);
      return;
    }
    // Released messages left the buffer when the next episode was let run; they come back from
    // their queues after the back-off.
    if (released) await this.giveBack(released, retryAfterMs);
    else await this.dispatcher.releaseBatch(batch, batch.messages, retryAfterMs);
  }

  /** Makes messages visible again after `delayMs`, or else the DTFx back-off. */
  private async giveBack(messages: readonly ReceivedMessage[], delayMs?: number): Promise<void> {
    await Promise.all(
      messages.map((m) =>
        this.queueNamed(m.queueName)
          .abandon(m, delayMs)
          .catch((error: unknown) => this.reportError(error, "abandon")),
      ),
    );
  }

  // ---- activity work items ----

  lockNextActivityWorkItem(signal?: AbortSignal): Promise<ActivityWorkItem | undefined> {
    if (!this.running) return Promise.resolve(undefined);
    return this.activities.lockNext(signal);
  }

  async completeActivityWorkItem(workItem: ActivityWorkItem, response: TaskMessage): Promise<void> {
    const received = this.activities.sourceOf(workItem);
    if (this.ownsInstance(response.instance.instanceId)) {
      this.keepResultLocal(this.activities.release(workItem), response);
      return;
    }
    await this.sendToInstance(response, this.clock.now().getTime());
    await this.activities.complete(workItem, received);
  }

  /**
   * A result for an instance this process owns goes straight to its buffer and is never sent:
   * the request, still hidden in the work-item queue, stands for it in storage. It is deleted
   * once the history holds the result; should the episode fail, or the partition move, it
   * becomes visible again and the activity runs again (at least once, as any activity). This
   * saves a send and a delete per activity, and a round trip on the instance's critical path.
   */
  private keepResultLocal(request: ReceivedMessage, response: TaskMessage): void {
    request.message = structuredClone(response);
    request.insertedOnMs = this.clock.now().getTime();
    request.sequenceNumber = takeSequenceNumber();
    this.dispatcher.deliver([request]);
  }

  private ownsInstance(instanceId: string): boolean {
    return this.running && this.dispatcher.isPolling(this.controlQueueOf(instanceId).name);
  }

  async abandonActivityWorkItem(workItem: ActivityWorkItem): Promise<void> {
    await this.activities.abandon(workItem);
  }

  // ---- client side ----

  async createInstance(
    startMessage: TaskMessage,
    dedupeStatuses: readonly RuntimeStatusName[],
  ): Promise<void> {
    const event = startMessage.event;
    if (event.EventType !== HistoryEventType.ExecutionStarted) {
      throw new TypeError(
        `createInstance needs an ExecutionStarted message, not event type ${event.EventType}.`,
      );
    }
    const instanceId = startMessage.instance.instanceId;
    const existing = await this.instances.get(instanceId);
    if (existing && dedupeStatuses.includes(existing.state.runtimeStatus)) {
      throw new InstanceExistsError(instanceId, existing.state.runtimeStatus);
    }
    const now = this.clock.now();
    const pending = pendingInstanceState(startMessage, event, now, existing?.state);
    const executionId = event.OrchestrationInstance.ExecutionId;
    let settleRow: (row: StoredInstance | undefined) => void = () => undefined;
    if (!existing && this.ownsInstance(instanceId)) {
      // Remembered before the send: the first episode may start before this call goes on.
      const row = new Promise<StoredInstance | undefined>((resolve) => (settleRow = resolve));
      this.sessionCache.rememberStart(instanceId, executionId, {
        history: { events: [], etag: undefined, executionId: undefined },
        state: pending,
        row,
      });
    }
    let written: StoredInstance | undefined;
    try {
      // As DTFx: the message first, then the Pending row.
      const startBlob = await this.sendToInstance(startMessage, now.getTime());
      written = await this.instances.writePending(pending, existing?.etag, startBlob);
    } catch (error) {
      this.sessionCache.forgetStart(instanceId, executionId);
      throw error;
    } finally {
      settleRow(written);
    }
    if (!written) {
      const winner = await this.instances.get(instanceId);
      // A worker may take the start message and write its row before this Pending row lands:
      // the row then belongs to this very start, which is no conflict.
      const ours = winner?.state.executionId === executionId;
      if (winner && !ours && dedupeStatuses.includes(winner.state.runtimeStatus)) {
        throw new InstanceExistsError(instanceId, winner.state.runtimeStatus);
      }
    }
    this.notifyInstanceChanged(instanceId);
  }

  async sendMessage(message: TaskMessage): Promise<void> {
    await this.sendToInstance(message, this.clock.now().getTime());
  }

  async getInstance(instanceId: string): Promise<InstanceState | undefined> {
    return (await this.instances.get(instanceId))?.state;
  }

  /** From the session cache, for instances of the partitions this process owns. */
  knownInstance(instanceId: string): InstanceState | undefined {
    return this.ownsInstance(instanceId) ? this.sessionCache.peek(instanceId)?.state : undefined;
  }

  async getHistory(instanceId: string): Promise<HistoryEvent[]> {
    return (await this.history.load(instanceId)).events;
  }

  queryInstances(query: InstanceQuery): Promise<InstanceQueryPage> {
    return this.instances.query(query);
  }

  async purgeInstance(instanceId: string): Promise<number> {
    this.sessionCache.delete(instanceId);
    // A row write still under way would bring the instance back.
    await this.rowWriter.settled(instanceId);
    const existing = await this.instances.get(instanceId);
    if (!existing) return 0;
    await Promise.all([
      this.history.deleteAll(instanceId),
      this.payloads.deleteInstanceBlobs(instanceId, escapePartitionKey(instanceId)),
    ]);
    const removed = await this.instances.delete(instanceId);
    if (removed) this.notifyInstanceChanged(instanceId);
    return removed ? 1 : 0;
  }

  onInstanceChanged(listener: InstanceChangeListener): () => void {
    return this.instanceListeners.subscribe(listener);
  }

  // ---- internals: sending ----

  private controlQueueOf(instanceId: string): MessageQueue {
    return this.controlQueues[partitionIndexOf(instanceId, this.settings.partitionCount)];
  }

  private queueNamed(queueName: string): MessageQueue {
    if (queueName === this.workItemQueue.name) return this.workItemQueue;
    const queue = this.controlQueues.find((q) => q.name === queueName);
    if (!queue) throw new Error(`Queue '${queueName}' is not a queue of task hub '${this.name}'.`);
    return queue;
  }

  /** Sends to the instance's control queue; returns the blob name when the message was large. */
  private async sendToInstance(message: TaskMessage, nowMs: number): Promise<string | undefined> {
    const queue = this.controlQueueOf(message.instance.instanceId);
    const due = message.visibleAt === undefined || Date.parse(message.visibleAt) <= nowMs;
    // A message for an instance this process owns goes straight to its buffer: no receive, and
    // no wait for one.
    if (due && this.running && this.dispatcher.isPolling(queue.name)) {
      const { received, blobName } = await queue.sendClaimed(
        message,
        this.settings.controlQueueVisibilityTimeoutMs,
      );
      // The partition may have moved on while the message was on its way.
      if (this.dispatcher.isPolling(queue.name)) {
        this.dispatcher.deliver([received]);
      } else {
        await queue.setVisibility(received, 0).catch(() => undefined);
      }
      return blobName;
    }
    const { messageId, blobName, hiddenForMs } = await queue.send(message, nowMs);
    // Picked up by this process's own poller at once, or when it shows, rather than after its
    // back-off. The queue hid it from a moment before now: waking from now is never too early.
    if (hiddenForMs === 0) this.dispatcher.sent(queue.name, message.instance.instanceId, messageId);
    else this.dispatcher.expectVisibleAt(queue.name, this.clock.now().getTime() + hiddenForMs);
    return blobName;
  }

  private async sendActivity(message: TaskMessage, nowMs: number): Promise<void> {
    // Only to a loop idle now: under load, requests stay in the queue for every worker to share.
    if (this.activities.hasIdleWaiter && message.visibleAt === undefined) {
      const { received } = await this.workItemQueue.sendClaimed(
        message,
        this.settings.workItemQueueVisibilityTimeoutMs,
      );
      this.activities.offer(received);
      return;
    }
    await this.workItemQueue.send(message, nowMs);
    this.activities.wake();
  }

  // ---- internals: sessions ----

  private async openSession(batch: SessionBatch): Promise<OrchestrationWorkItem> {
    const first = batch.messages[0]?.message?.event;
    // A batch that starts an execution sees that execution's history only (none when new).
    const executionId =
      first?.EventType === HistoryEventType.ExecutionStarted
        ? first.OrchestrationInstance.ExecutionId
        : undefined;
    // A new execution reads afresh (a client may have rewritten the status row for it), unless
    // this process's client created it just now.
    const cached =
      executionId === undefined
        ? this.sessionCache.get(batch.instanceId)
        : this.sessionCache.takeStart(batch.instanceId, executionId);
    const { history, state, row, committed }: SessionState =
      cached ?? (await this.readSession(batch.instanceId, executionId));
    if (!cached) this.expectTimersOf(batch.instanceId, history.events);
    const { messages, sources } = copyMessages(batch);
    const workItem: OrchestrationWorkItem = {
      instanceId: batch.instanceId,
      history: history.events,
      state,
      messages,
    };
    this.sessions.set(workItem, { batch, sources, history, state, row, committed });
    return workItem;
  }

  /**
   * A work item for a batch whose instance could not be read: no history, the status row if it
   * can be read on its own, and the error. It can be abandoned, or completed with a checkpoint
   * that writes no history (the engine's give-up).
   */
  private async openUnloadedSession(batch: SessionBatch, error: unknown): Promise<OrchestrationWorkItem> {
    this.sessionCache.delete(batch.instanceId);
    const stored = await this.instances.get(batch.instanceId).catch(() => undefined);
    const history: LoadedHistory = { events: [], etag: undefined, executionId: undefined };
    const { messages, sources } = copyMessages(batch);
    const workItem: OrchestrationWorkItem = {
      instanceId: batch.instanceId,
      history: [],
      state: stored?.state,
      messages,
      loadFailure: classifyStorageFailure(error),
    };
    const row = Promise.resolve(stored);
    this.sessions.set(workItem, { batch, sources, history, state: stored?.state, row, unloaded: true });
    return workItem;
  }

  /** The instance's history and row from storage, once its commit and row under way are written. */
  private async readSession(instanceId: string, executionId: string | undefined): Promise<SessionState> {
    await this.commitsInFlight.get(instanceId)?.catch(() => undefined);
    await this.rowWriter.settled(instanceId);
    const [history, stored] = await Promise.all([
      this.history.load(instanceId, executionId),
      this.instances.get(instanceId),
    ]);
    return { history, state: stored?.state, row: Promise.resolve(stored) };
  }

  /**
   * A history read from storage may await timers this process did not send (it took the
   * partition over, or restarted): their messages wait hidden in the queue, and its poller
   * should receive them when they show, not at its next idle poll.
   */
  private expectTimersOf(instanceId: string, events: readonly HistoryEvent[]): void {
    const queueName = this.controlQueueOf(instanceId).name;
    const nowMs = this.clock.now().getTime();
    for (const dueMs of unfiredTimerDueTimes(events)) {
      if (dueMs > nowMs) this.dispatcher.expectVisibleAt(queueName, dueMs);
    }
  }

  private session(workItem: OrchestrationWorkItem): LockedSession {
    const session = this.sessions.get(workItem);
    if (!session) throw new Error(`The work item of '${workItem.instanceId}' is not locked by this hub.`);
    return session;
  }

  /** The queue message a work item's message came from (the engine may hand back a copy). */
  private sourceOf(session: LockedSession, message: TaskMessage): ReceivedMessage | undefined {
    const direct = session.sources.get(message);
    if (direct) return direct;
    const text = JSON.stringify(message);
    for (const [copy, received] of session.sources) if (JSON.stringify(copy) === text) return received;
    return undefined;
  }

  // ---- internals: activities ----

  private notifyInstanceChanged(instanceId: string, state?: InstanceState): void {
    this.instanceListeners.notify(instanceId, state);
  }
}
