import type { FailureDetails, HistoryEvent, OrchestrationStatusCode } from "../../protocol/history";

/**
 * Orchestrators and activities that run in a remote worker (a Durable Task SDK connected over
 * gRPC) rather than through the FunctionInvoker. Such a worker replays history itself and
 * numbers its own actions, so the engine applies what it returns (apply-actions.ts) instead of
 * replaying the out-of-proc JSON actions.
 */
export interface RemoteExecutor {
  runEpisode(episode: RemoteEpisode): Promise<RemoteEpisodeResult>;
  runActivity(activity: RemoteActivity): Promise<RemoteActivityResult>;
}

export interface RemoteEpisode {
  instanceId: string;
  executionId: string;
  name: string;
  /** Committed events of the execution. */
  past: readonly HistoryEvent[];
  /** This episode's events, OrchestratorStarted first. */
  newEvents: readonly HistoryEvent[];
}

export interface RemoteEpisodeResult {
  actions: RemoteAction[];
  /** JSON text; null to leave the recorded one. */
  customStatus: string | null;
}

/** An action as the remote worker numbered it: `id` is the EventId its scheduling event gets. */
export type RemoteAction =
  | { id: number; kind: "scheduleTask"; name: string; version: string | null; input: string | null }
  | {
      id: number;
      kind: "completeOrchestration";
      status: OrchestrationStatusCode;
      result: string | null;
      failureDetails: FailureDetails | null;
    }
  /** An action this engine does not apply yet; the execution fails naming it. */
  | { id: number; kind: "unsupported"; description: string };

export interface RemoteActivity {
  instanceId: string;
  executionId: string | null;
  name: string;
  version: string | null;
  /** JSON text as the orchestrator sent it. */
  input: string | null;
  /** The EventId of the TaskScheduled event. */
  taskId: number;
}

export type RemoteActivityResult = { result: string | null } | { failure: FailureDetails };

/**
 * The remote worker went away before answering (its stream dropped): the work item goes back
 * at once for the next worker, and the attempt is not counted as a failure of the instance.
 */
export class RemoteWorkerGoneError extends Error {
  constructor(what: string) {
    super(`The worker running ${what} disconnected before answering.`);
    this.name = "RemoteWorkerGoneError";
  }
}
