import { ActionType, type OrchestratorAction } from "../../protocol/actions";
import {
  HistoryEventType,
  OrchestrationStatusCode,
  type ExecutionStartedEvent,
  type FailureDetails,
  type HistoryEvent,
} from "../../protocol/history";
import {
  OUT_OF_PROC_DATA_LABEL,
  SchemaVersion,
  type OrchestrationTriggerPayload,
  type OrchestratorStatePayload,
  type WorkerFailureDetailsPayload,
} from "../../protocol/orchestrator-state";
import type { Clock } from "../../providers/clock";
import {
  emptyCheckpoint,
  poisonFailureDetails,
  type InstanceState,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
  type TaskMessage,
} from "../../providers/task-hub";
import * as events from "../history-events";
import { newGuidN } from "../ids";
import type { FunctionInvoker } from "../invoker";
import { ExecutionHistory } from "./execution-history";
import { HostReplay, type TimerSettings } from "./host-replay";
import { releasesForHeldLock, releasesForLateGrants } from "./lock-release";
import { takeMessages } from "./message-intake";
import { OrchestrationReplayError } from "./replay-error";
import { applyRemoteActions, RemoteActionError } from "./apply-actions";
import type { RemoteExecutor } from "./remote-executor";
import { rewindHistory } from "./rewind";
import { episodeTime, instanceStateAfter, parentNotice } from "./execution-outcome";

export interface OrchestrationRunnerSettings extends TimerSettings {
  /** The highest schema the host offers the worker (V4 enables entity locks). */
  schemaVersion: SchemaVersion;
}

export const defaultRunnerSettings: OrchestrationRunnerSettings = {
  schemaVersion: SchemaVersion.V4,
  maximumShortTimerMs: 6 * 24 * 3600 * 1000,
  longRunningTimerIntervalMs: 3 * 24 * 3600 * 1000,
  defaultHttpPollingMs: 30_000,
};

interface EpisodeIdentity {
  instanceId: string;
  executionId: string;
  name: string;
  started: ExecutionStartedEvent;
  timestamp: string;
}

interface EpisodeResult {
  state?: OrchestratorStatePayload;
  /** The failure message, when the orchestrator failed. */
  error?: string;
  failureDetails?: FailureDetails;
  stack?: string;
}

/** Runs one orchestration episode: the work item's messages in, a checkpoint out. */
export class OrchestrationRunner {
  constructor(
    private readonly invoker: FunctionInvoker,
    private readonly clock: Clock,
    private readonly settings: OrchestrationRunnerSettings = defaultRunnerSettings,
    /** Runs the orchestrators the invoker does not know (Durable Task SDK workers). */
    private readonly remote?: RemoteExecutor,
  ) {}

  async run(workItem: OrchestrationWorkItem): Promise<OrchestrationCheckpoint> {
    const checkpoint = emptyCheckpoint();
    const committed = new ExecutionHistory(workItem.history);
    const intake = takeMessages(committed, workItem.messages);
    checkpoint.deferredMessages = intake.deferred;

    const isNewExecution = intake.start !== undefined;
    let past: HistoryEvent[] = isNewExecution ? [] : [...workItem.history];
    let rewritten = false;
    if (!isNewExecution && intake.rewindReason !== undefined && committed.runtimeStatus === "Failed") {
      const rewind = rewindHistory(past, workItem.instanceId);
      past = rewind.history;
      checkpoint.activityMessages.push(...rewind.activityMessages);
      checkpoint.orchestratorMessages.push(...rewind.orchestratorMessages);
      rewritten = true;
    }
    const started = intake.start ?? committed.started;
    const current = new ExecutionHistory(past);

    if (!started) {
      // No such instance: a terminate still marks a pending one, as does a start that turned
      // out to be poison; anything else is dropped.
      if (intake.terminateReason !== undefined && workItem.state) {
        checkpoint.state = this.endedBeforeStart(workItem.state, "Terminated", intake.terminateReason);
      } else if (intake.poisonReason !== undefined && workItem.state?.runtimeStatus === "Pending") {
        checkpoint.state = this.endedBeforeStart(workItem.state, "Failed", intake.poisonReason);
      }
      return checkpoint;
    }
    if (current.isTerminal && !rewritten) {
      checkpoint.state = this.repairedState(workItem, started, current, past);
      checkpoint.orchestratorMessages.push(
        ...releasesForLateGrants(
          past,
          workItem.messages,
          { instanceId: workItem.instanceId, executionId: started.OrchestrationInstance.ExecutionId },
          this.clock.now().toISOString(),
        ),
      );
      return checkpoint;
    }

    const now = episodeTime(past, this.clock.now());
    const timestamp = now.toISOString();
    const added: HistoryEvent[] = [events.orchestratorStarted(timestamp), ...intake.events];
    added.forEach((e) => current.note(e));
    const notedCount = added.length;
    const executionId = started.OrchestrationInstance.ExecutionId;
    const name = started.Name;
    let customStatus: string | null = workItem.state?.customStatus ?? null;

    if (intake.terminateReason !== undefined) {
      added.push(
        events.executionTerminated(intake.terminateReason, timestamp),
        events.executionCompleted(OrchestrationStatusCode.Terminated, intake.terminateReason, timestamp),
      );
      checkpoint.orchestratorMessages.push(
        ...parentNotice(started, false, intake.terminateReason, "Terminated", timestamp),
      );
    } else if (intake.poisonReason !== undefined) {
      // The orchestrator is not run again: the message that kept failing is gone.
      const failure = poisonFailureDetails(intake.poisonReason);
      added.push(
        events.executionCompleted(OrchestrationStatusCode.Failed, intake.poisonReason, timestamp, failure),
      );
      checkpoint.orchestratorMessages.push(
        ...parentNotice(started, false, intake.poisonReason, intake.poisonReason, timestamp, failure),
      );
    } else if (!current.isSuspended) {
      customStatus = await this.execute(
        { instanceId: workItem.instanceId, executionId, name, started, timestamp },
        past,
        added,
        checkpoint,
        customStatus,
      );
    }
    added.push(events.orchestratorCompleted(timestamp));

    const eventsAfter = [...past, ...added];
    checkpoint.history = {
      executionId,
      events: eventsAfter,
      newEventCount: added.length,
      ...(rewritten ? { rewritten } : {}),
    };
    added.slice(notedCount).forEach((e) => current.note(e));
    if (current.isTerminal) {
      checkpoint.orchestratorMessages.push(
        ...releasesForHeldLock(eventsAfter, { instanceId: workItem.instanceId, executionId }, timestamp),
      );
    }
    checkpoint.state = instanceStateAfter(workItem, started, current, added, customStatus, timestamp);
    return checkpoint;
  }

  /**
   * Invokes the orchestrator, replays its actions against history and ends the execution when
   * it finished. Appends to `added` and `checkpoint`; returns the custom status to record.
   */
  private async execute(
    episode: EpisodeIdentity,
    past: readonly HistoryEvent[],
    added: HistoryEvent[],
    checkpoint: OrchestrationCheckpoint,
    customStatus: string | null,
  ): Promise<string | null> {
    const { instanceId, executionId, name, started, timestamp } = episode;
    if (this.remote && !this.invoker.hasFunction("orchestration", name)) {
      return this.executeRemote(this.remote, episode, past, added, checkpoint, customStatus);
    }
    const result = await this.invoke(name, instanceId, started, past, added);
    const all = [...past, ...added];
    let error = result.error;
    let failureDetails = result.failureDetails;
    let replay: HostReplay | undefined;
    let outcome;
    if (result.state) {
      replay = new HostReplay(
        { instanceId, executionId, name },
        flattenActions(result.state),
        result.state.schemaVersion,
        this.settings,
        new Date(all[0]?.Timestamp ?? timestamp),
      );
      try {
        outcome = replay.run(all, result.state.isDone || error !== undefined);
      } catch (replayError) {
        if (!(replayError instanceof OrchestrationReplayError)) throw replayError;
        // A worker that failed already said why (ours names the drift itself); keep its words.
        if (error === undefined) {
          error = replayError.message;
          failureDetails = undefined;
        }
      }
    }
    if (outcome) {
      added.push(...outcome.newEvents);
      checkpoint.activityMessages.push(...outcome.activityMessages);
      checkpoint.orchestratorMessages.push(...outcome.orchestratorMessages);
    }
    if (error !== undefined) {
      const reason = `Orchestrator function '${name}' failed: ${error}`;
      const details = `Message: ${error}, StackTrace: ${result.stack ?? ""}`;
      added.push(
        events.executionCompleted(OrchestrationStatusCode.Failed, reason, timestamp, failureDetails ?? null),
      );
      checkpoint.orchestratorMessages.push(
        ...parentNotice(started, false, reason, details, timestamp, failureDetails),
      );
    } else if (outcome?.continueAsNew) {
      const output = events.toJsonText(result.state?.output);
      added.push(events.executionCompleted(OrchestrationStatusCode.ContinuedAsNew, output, timestamp));
      const carried = replay?.unconsumedEvents() ?? [];
      checkpoint.orchestratorMessages.push(
        ...this.continueAsNew(instanceId, started, outcome.continueAsNew.input, carried, timestamp),
      );
    } else if (result.state?.isDone) {
      const output = events.toJsonText(result.state.output);
      added.push(events.executionCompleted(OrchestrationStatusCode.Completed, output, timestamp));
      checkpoint.orchestratorMessages.push(...parentNotice(started, true, output, "", timestamp));
    }
    return result.state?.customStatus !== undefined
      ? JSON.stringify(result.state.customStatus)
      : customStatus;
  }

  /** Runs the episode in a remote worker and applies the actions it numbered itself. */
  private async executeRemote(
    remote: RemoteExecutor,
    episode: EpisodeIdentity,
    past: readonly HistoryEvent[],
    added: HistoryEvent[],
    checkpoint: OrchestrationCheckpoint,
    customStatus: string | null,
  ): Promise<string | null> {
    const { instanceId, executionId, name, started, timestamp } = episode;
    const result = await remote.runEpisode({ instanceId, executionId, name, past, newEvents: [...added] });
    let applied;
    try {
      applied = applyRemoteActions(
        { instanceId, executionId },
        [...past, ...added],
        result.actions,
        timestamp,
      );
    } catch (error) {
      if (!(error instanceof RemoteActionError)) throw error;
      const failure = remoteFailure(error.message);
      added.push(
        events.executionCompleted(OrchestrationStatusCode.Failed, error.message, timestamp, failure),
      );
      checkpoint.orchestratorMessages.push(
        ...parentNotice(started, false, error.message, error.message, timestamp, failure),
      );
      return result.customStatus ?? customStatus;
    }
    added.push(...applied.newEvents);
    checkpoint.activityMessages.push(...applied.activityMessages);
    const completion = applied.completion;
    if (completion?.status === OrchestrationStatusCode.Completed) {
      added.push(events.executionCompleted(OrchestrationStatusCode.Completed, completion.result, timestamp));
      checkpoint.orchestratorMessages.push(
        ...parentNotice(started, true, completion.result ?? "", "", timestamp),
      );
    } else if (completion) {
      // Failed, or an ending this slice does not apply yet (continue-as-new): the execution fails.
      const failure =
        completion.status === OrchestrationStatusCode.Failed
          ? (completion.failureDetails ?? remoteFailure(completion.result ?? "The orchestrator failed."))
          : remoteFailure(
              `The orchestrator ended as ${OrchestrationStatusCode[completion.status]}, which the gRPC endpoint does not apply yet.`,
            );
      const reason = completion.result ?? failure.ErrorMessage;
      added.push(events.executionCompleted(OrchestrationStatusCode.Failed, reason, timestamp, failure));
      checkpoint.orchestratorMessages.push(
        ...parentNotice(started, false, reason, failure.StackTrace ?? "", timestamp, failure),
      );
    }
    return result.customStatus ?? customStatus;
  }

  private async invoke(
    name: string,
    instanceId: string,
    started: ExecutionStartedEvent,
    past: readonly HistoryEvent[],
    added: readonly HistoryEvent[],
  ): Promise<EpisodeResult> {
    if (!this.invoker.hasFunction("orchestration", name)) {
      return {
        error: `The function '${name}' doesn't exist, is disabled, or is not an orchestrator function.`,
      };
    }
    const payload: OrchestrationTriggerPayload = {
      history: [
        ...past.map((e) => ({ ...e, IsPlayed: true })),
        ...added.map((e) => ({ ...e, IsPlayed: false })),
      ],
      input: started.Input === null ? null : JSON.parse(started.Input),
      instanceId,
      isReplaying: past.length > 0,
      parentInstanceId: started.ParentInstance?.OrchestrationInstance.InstanceId ?? null,
      upperSchemaVersion: SchemaVersion.V2,
      upperSchemaVersionNew: this.settings.schemaVersion,
      longRunningTimerIntervalDuration: formatTimeSpan(this.settings.longRunningTimerIntervalMs),
      maximumShortTimerDuration: formatTimeSpan(this.settings.maximumShortTimerMs),
      defaultHttpAsyncRequestSleepTimeMillseconds: this.settings.defaultHttpPollingMs,
    };
    try {
      const state = await this.invoker.invokeOrchestrator(name, payload);
      if (state.error)
        return { state, error: state.error, failureDetails: historyFailureDetails(state.failureDetails) };
      return { state };
    } catch (thrown) {
      return readFailure(thrown);
    }
  }

  /** Starts the next execution and carries over events the finished one never consumed. */
  private continueAsNew(
    instanceId: string,
    started: ExecutionStartedEvent,
    input: unknown,
    carried: readonly HistoryEvent[],
    timestamp: string,
  ): TaskMessage[] {
    const executionId = newGuidN();
    const start = events.executionStarted({
      instanceId,
      executionId,
      name: started.Name,
      input: input === undefined ? null : JSON.stringify(input),
      version: started.Version,
      parent: started.ParentInstance,
      generation: started.Generation + 1,
      timestamp,
    });
    return [
      { event: start, instance: { instanceId, executionId } },
      ...carried.map((event) => ({ event, instance: { instanceId, executionId: null } })),
    ];
  }

  private endedBeforeStart(
    state: InstanceState,
    status: "Terminated" | "Failed",
    reason: string,
  ): InstanceState {
    const now = this.clock.now().toISOString();
    return {
      ...state,
      runtimeStatus: status,
      output: reason,
      lastUpdatedTime: now,
      completedTime: now,
    };
  }

  /**
   * The status row of an execution whose history has ended, when the stored row disagrees: a
   * worker that stopped between its history commit and its status write left it behind (the
   * "Running after completion" window of DurableTask.AzureStorage). A row of another execution
   * (the instance was started again) is left alone.
   */
  private repairedState(
    workItem: OrchestrationWorkItem,
    started: ExecutionStartedEvent,
    history: ExecutionHistory,
    events: readonly HistoryEvent[],
  ): InstanceState | undefined {
    const stored = workItem.state;
    const executionId = started.OrchestrationInstance.ExecutionId;
    if (stored && stored.executionId !== executionId) return undefined;
    if (stored && stored.runtimeStatus === history.runtimeStatus) return undefined;
    const completed = events.findLast((e) => e.EventType === HistoryEventType.ExecutionCompleted);
    if (!completed) return undefined;
    return instanceStateAfter(
      workItem,
      started,
      history,
      [completed],
      stored?.customStatus ?? null,
      completed.Timestamp,
    );
  }
}

/** V2+ returns one action list; V1 returns one set per yield, each awaited as "any of". */
export function flattenActions(state: OrchestratorStatePayload): OrchestratorAction[] {
  if (state.schemaVersion !== SchemaVersion.V1) return state.actions[0] ?? [];
  return state.actions.map((set) =>
    set.length === 1
      ? (set[0] as OrchestratorAction)
      : { actionType: ActionType.WhenAny, compoundActions: set },
  );
}

/** Reads the orchestrator's failure: the state after `$OutOfProcData$:` when the worker sent one. */
function readFailure(thrown: unknown): EpisodeResult {
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const stack = thrown instanceof Error ? thrown.stack : undefined;
  const at = message.indexOf(OUT_OF_PROC_DATA_LABEL);
  if (at >= 0) {
    try {
      const state = JSON.parse(message.slice(at + OUT_OF_PROC_DATA_LABEL.length)) as OrchestratorStatePayload;
      return {
        state,
        error: state.error ?? message.slice(0, at),
        failureDetails: historyFailureDetails(state.failureDetails),
        stack,
      };
    } catch {
      // Fall through: fail with the whole message.
    }
  }
  return { error: message, stack };
}

/** The worker leaves out what it has no value for; history spells every field, null when empty. */
function historyFailureDetails(details: WorkerFailureDetailsPayload | undefined): FailureDetails | undefined {
  if (!details) return undefined;
  return {
    ErrorType: details.ErrorType,
    ErrorMessage: details.ErrorMessage,
    StackTrace: details.StackTrace ?? null,
    InnerFailure: historyFailureDetails(details.InnerFailure) ?? null,
    IsNonRetriable: details.IsNonRetriable,
    Properties: details.Properties ?? null,
  };
}

function remoteFailure(message: string): FailureDetails {
  return {
    ErrorType: "OrchestrationFailure",
    ErrorMessage: message,
    StackTrace: null,
    InnerFailure: null,
    IsNonRetriable: true,
    Properties: null,
  };
}

/** .NET TimeSpan text "d.hh:mm:ss" for a duration in milliseconds. */
export function formatTimeSpan(ms: number): string {
  const totalSeconds = Math.floor(ms / 1000);
  const days = Math.floor(totalSeconds / 86400);
  const pad = (n: number) => String(n).padStart(2, "0");
  const hours = Math.floor((totalSeconds % 86400) / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return `${days}.${pad(hours)}:${pad(minutes)}:${pad(seconds)}`;
}
