import { HistoryEventType, type FailureDetails, type HistoryEvent } from "../protocol/history";
import type { RuntimeStatusName } from "../protocol/status";
import type { Clock } from "./clock";

/**
 * The contract between the engine and a storage provider: the durable state of a task hub
 * (instances, histories, queued messages) and the hand-over of work items. Modelled on the
 * DTFx orchestration service: control messages per instance, a shared activity queue, and a
 * checkpoint that commits an episode's history, status and outbound messages together.
 */
export interface TaskHub {
  readonly name: string;
  readonly clock: Clock;

  /** Creates whatever storage the hub needs; safe to call again. */
  createIfNotExists(): Promise<void>;
  /** Removes every artefact of the hub. */
  deleteHub(): Promise<void>;
  /** Starts background work (polling, leases) for a worker. Clients need not call it. */
  start(): Promise<void>;
  /** Stops background work; pending `lockNext*` calls resolve undefined. */
  stop(): Promise<void>;

  // ---- orchestration work items (worker side) ----

  /** Waits for the next instance with messages; undefined when `signal` aborts or the hub stops. */
  lockNextOrchestrationWorkItem(signal?: AbortSignal): Promise<OrchestrationWorkItem | undefined>;
  /** Commits an episode: outbound messages, then history, then status, then consumes the messages. */
  completeOrchestrationWorkItem(
    workItem: OrchestrationWorkItem,
    checkpoint: OrchestrationCheckpoint,
  ): Promise<void>;
  /**
   * Gives the work item's messages back for a later attempt: after `retryAfterMs` when given (0:
   * at once, to the next locker), else after the provider's own back-off.
   */
  abandonOrchestrationWorkItem(workItem: OrchestrationWorkItem, retryAfterMs?: number): Promise<void>;

  // ---- activity work items (worker side) ----

  lockNextActivityWorkItem(signal?: AbortSignal): Promise<ActivityWorkItem | undefined>;
  /** Sends the response to the scheduling orchestration, then consumes the request. */
  completeActivityWorkItem(workItem: ActivityWorkItem, response: TaskMessage): Promise<void>;
  abandonActivityWorkItem(workItem: ActivityWorkItem): Promise<void>;

  // ---- client side ----

  /**
   * Queues an ExecutionStarted message and records the instance as Pending.
   * Throws InstanceExistsError when an instance with that id has one of `dedupeStatuses`.
   */
  createInstance(startMessage: TaskMessage, dedupeStatuses: readonly RuntimeStatusName[]): Promise<void>;
  /** Queues a message for an instance (events, terminate, suspend, resume, rewind...). */
  sendMessage(message: TaskMessage): Promise<void>;
  getInstance(instanceId: string): Promise<InstanceState | undefined>;
  /**
   * The instance's status as this process last committed it, when it has that at hand without
   * a storage read. Optional. It can be behind another process's write, so callers use it only
   * where an out-of-date answer is harmless.
   */
  knownInstance?(instanceId: string): InstanceState | undefined;
  /** The events of the instance's current execution, oldest first. */
  getHistory(instanceId: string): Promise<HistoryEvent[]>;
  queryInstances(query: InstanceQuery): Promise<InstanceQueryPage>;
  /** Removes the instance's state and history; returns how many instances were removed (0 or 1). */
  purgeInstance(instanceId: string): Promise<number>;

  /**
   * Calls `listener` after this process commits a change to an instance's state, so waiters
   * need not poll: with the status row as written, when the change wrote one (a waiter then
   * need not read it back). Returns the unsubscribe function.
   */
  onInstanceChanged(listener: InstanceChangeListener): () => void;
}

export type InstanceChangeListener = (instanceId: string, state?: InstanceState) => void;

/** A message to one instance, carrying the history event it becomes there. */
export interface TaskMessage {
  /** The event, in wire (PascalCase) form. */
  event: HistoryEvent;
  /**
   * The target instance. For activity requests (TaskScheduled) and their responses it is the
   * orchestration that scheduled the activity.
   */
  instance: MessageInstance;
  /** Not delivered before this ISO time (timers, scheduled starts, delayed entity signals). */
  visibleAt?: string;
  /** The instance that sent the message, when an orchestration did. */
  sender?: MessageInstance;
  /** The sender's episode number (count of OrchestratorStarted events), for ordering diagnostics. */
  episode?: number;
}

export interface MessageInstance {
  instanceId: string;
  /** Null for messages that go to whatever execution is current (events, management). */
  executionId: string | null;
}

/** The read model of one instance: the Instances row. Payloads are JSON text. */
export interface InstanceState {
  instanceId: string;
  name: string;
  version: string | null;
  executionId: string;
  runtimeStatus: RuntimeStatusName;
  input: string | null;
  output: string | null;
  customStatus: string | null;
  /** ISO time. */
  createdTime: string;
  /** ISO time. */
  lastUpdatedTime: string;
  /** ISO time; set once the instance reaches a terminal status. */
  completedTime: string | null;
  parentInstanceId: string | null;
  /** ISO time, for starts scheduled for later. */
  scheduledStartTime: string | null;
  /** 0 for a new id; +1 each time the id is started again. */
  generation: number;
}

export interface OrchestrationWorkItem {
  readonly instanceId: string;
  /** The committed events of the current execution, oldest first; empty for an instance with none. */
  readonly history: readonly HistoryEvent[];
  /** The status row as last committed, if any. */
  readonly state: InstanceState | undefined;
  /** Messages for this instance, in delivery order. */
  readonly messages: readonly TaskMessage[];
  /**
   * Set when the provider could not read the instance's history or status (`history` and
   * `state` are then empty): the engine treats it as a failed attempt at this work item.
   */
  readonly loadFailure?: unknown;
}

export interface OrchestrationCheckpoint {
  /** Absent when the episode changes no history (e.g. messages for an instance that does not exist). */
  history?: {
    executionId: string;
    /** Every event of the execution after this episode. */
    events: HistoryEvent[];
    /**
     * How many events at the end of `events` were added in this episode. When the execution id
     * changed or `rewritten` is set, the provider replaces the whole stored history instead.
     */
    newEventCount: number;
    /** Set when earlier events were changed (rewind), so all of them must be written again. */
    rewritten?: boolean;
  };
  /** The new status row; absent to leave it as it is. */
  state?: InstanceState;
  /** Activity requests (TaskScheduled) for the work-item queue. */
  activityMessages: TaskMessage[];
  /** Messages to instances (this one included), e.g. timers, sub-orchestration starts, events. */
  orchestratorMessages: TaskMessage[];
  /** Messages of this work item that cannot be processed yet; delivered again later. */
  deferredMessages: TaskMessage[];
  /**
   * Set when the engine gave up on the work item's messages: the provider keeps the consumed
   * ones out of circulation with this reason (the poison table), not only deletes them.
   */
  poisonReason?: string;
}

/** A checkpoint that changes nothing yet: an episode adds to it. */
export function emptyCheckpoint(): OrchestrationCheckpoint {
  return { activityMessages: [], orchestratorMessages: [], deferredMessages: [] };
}

export interface ActivityWorkItem {
  /** The TaskScheduled request; `instance` is the scheduling orchestration. */
  readonly message: TaskMessage;
}

export interface InstanceQuery {
  runtimeStatus?: readonly RuntimeStatusName[];
  /** Inclusive ISO bounds on createdTime. */
  createdTimeFrom?: string;
  createdTimeTo?: string;
  instanceIdPrefix?: string;
  /** Page size; all matching instances when absent. */
  pageSize?: number;
  continuationToken?: string;
  /** When false the provider may leave input and output out. */
  fetchInputsAndOutputs?: boolean;
  /** Entities (ids starting with "@") are left out unless this is set. */
  includeEntities?: boolean;
}

export interface InstanceQueryPage {
  instances: InstanceState[];
  /** Absent on the last page. */
  continuationToken?: string;
}

export class InstanceExistsError extends Error {
  constructor(
    public readonly instanceId: string,
    public readonly runtimeStatus: RuntimeStatusName,
  ) {
    super(`An instance with ID '${instanceId}' already exists and is ${runtimeStatus}.`);
    this.name = "InstanceExistsError";
  }
}

/**
 * Data of the GenericEvent a provider puts in a work item in place of a poison message (one
 * delivered too many times without being consumed): the engine fails the execution with the
 * reason that follows the marker, without running the orchestrator again.
 */
export const POISON_MARKER = "poison";

export function poisonNotice(original: TaskMessage, reason: string): TaskMessage {
  return {
    instance: { ...original.instance },
    event: {
      EventType: HistoryEventType.GenericEvent,
      EventId: -1,
      IsPlayed: false,
      Timestamp: new Date().toISOString(),
      Data: `${POISON_MARKER}:${reason}`,
    },
  };
}

/** How a poison message's failure reads in history and in the instance's status. */
export function poisonFailureDetails(reason: string): FailureDetails {
  return {
    ErrorType: "PoisonMessageError",
    ErrorMessage: reason,
    StackTrace: null,
    InnerFailure: null,
    IsNonRetriable: true,
    Properties: null,
  };
}
