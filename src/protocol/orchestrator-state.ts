import type { OrchestratorAction } from "./actions";
import type { HistoryEvent } from "./history";

/** Schema versions as the worker reports them in OrchestratorState.schemaVersion. */
export enum SchemaVersion {
  /** One action set per yield; compound tasks flattened. */
  V1 = 0,
  /** One action list with compound WhenAll/WhenAny actions. */
  V2 = 1,
  /** V2 plus long-timer splitting and callHttp polling in the worker. */
  V3 = 2,
  /** V3 plus LockEntities/ReleaseEntities. */
  V4 = 3,
}

/** The orchestrationTrigger payload the host hands the worker. */
export interface OrchestrationTriggerPayload {
  history: HistoryEvent[];
  input: unknown;
  instanceId: string;
  isReplaying: boolean;
  parentInstanceId: string | null;
  upperSchemaVersion: number;
  upperSchemaVersionNew?: number;
  /** .NET TimeSpan text, "d.hh:mm:ss". */
  longRunningTimerIntervalDuration?: string;
  /** .NET TimeSpan text, "d.hh:mm:ss". */
  maximumShortTimerDuration?: string;
  /** The misspelling is the wire name. */
  defaultHttpAsyncRequestSleepTimeMillseconds?: number;
}

/** What the orchestrator returns (or embeds after `$OutOfProcData$:` when it throws). */
export interface OrchestratorStatePayload {
  isDone: boolean;
  /** V2+: exactly one inner array holding every action since the execution began. V1: one set per yield. */
  actions: OrchestratorAction[][];
  output?: unknown;
  error?: string;
  customStatus?: unknown;
  failureDetails?: WorkerFailureDetailsPayload;
  schemaVersion: SchemaVersion;
}

/**
 * FailureDetails as the worker writes them in OrchestratorState: same names as the history's
 * FailureDetails, but fields the worker has no value for are absent rather than null.
 */
export interface WorkerFailureDetailsPayload {
  ErrorType: string;
  ErrorMessage: string;
  StackTrace?: string;
  IsNonRetriable: boolean;
  Properties?: Record<string, unknown>;
  InnerFailure?: WorkerFailureDetailsPayload;
}

/** The label the worker puts between its error text and the embedded OrchestratorState JSON. */
export const OUT_OF_PROC_DATA_LABEL = "\n\n$OutOfProcData$:";
