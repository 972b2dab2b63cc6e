import type { WorkerFailureDetailsPayload } from "../../protocol";

/** Structured details of a failed activity or sub-orchestration, as the host reported them. */
export interface FailureDetails {
  /** Usually the error's `name` (or the exception type of a .NET worker). */
  errorType: string;
  errorMessage: string;
  stackTrace?: string;
  isNonRetriable: boolean;
  /** What the failing worker's ExceptionPropertiesProvider attached, if anything. */
  properties?: Record<string, unknown>;
  innerFailure?: FailureDetails;
  /** True when this failure or one of its inner failures has the given `errorType`. */
  isCausedBy(errorType: string): boolean;
}

/** Thrown into the orchestrator when a task fails and the host sent structured FailureDetails. */
export class TaskFailedError extends Error {
  readonly failureDetails: FailureDetails;
  /** The activity or sub-orchestration that failed, when known. */
  readonly taskName?: string;
  /** The sequence number of the failed task, when known. */
  readonly taskId?: number;

  constructor(failureDetails: FailureDetails, taskName?: string, taskId?: number) {
    super(`${failureDetails.errorType}: ${failureDetails.errorMessage}`);
    this.name = "TaskFailedError";
    this.failureDetails = failureDetails;
    this.taskName = taskName;
    this.taskId = taskId;
    if (failureDetails.stackTrace) {
      // The remote stack says more than where the replay happened to throw.
      this.stack = failureDetails.stackTrace;
    }
  }
}

/** The PascalCase FailureDetails of a history event, as far as the worker can rely on its fields. */
export interface FailureDetailsWire {
  ErrorType?: string | null;
  ErrorMessage?: string | null;
  StackTrace?: string | null;
  IsNonRetriable?: boolean | null;
  Properties?: Record<string, unknown> | null;
  InnerFailure?: FailureDetailsWire | null;
}

/** Reads a history event's FailureDetails, filling the gaps an older host leaves. */
export function failureDetailsFromWire(wire: FailureDetailsWire): FailureDetails {
  const details: FailureDetails = {
    errorType: wire.ErrorType ?? "Error",
    errorMessage: wire.ErrorMessage ?? "",
    stackTrace: wire.StackTrace ?? undefined,
    isNonRetriable: wire.IsNonRetriable ?? false,
    properties: wire.Properties ?? undefined,
    innerFailure: wire.InnerFailure ? failureDetailsFromWire(wire.InnerFailure) : undefined,
    isCausedBy: (errorType) => isCausedBy(details, errorType),
  };
  return details;
}

function isCausedBy(details: FailureDetails | undefined, errorType: string): boolean {
  for (let current = details; current; current = current.innerFailure) {
    if (current.errorType === errorType) {
      return true;
    }
  }
  return false;
}

/** The FailureDetails an orchestrator reports in its state when a TaskFailedError ended it. */
export function failureDetailsToWire(details: FailureDetails): WorkerFailureDetailsPayload {
  // Key order is the official worker's, so the state's JSON text is identical.
  return {
    ErrorType: details.errorType,
    ErrorMessage: details.errorMessage,
    StackTrace: details.stackTrace,
    IsNonRetriable: details.isNonRetriable,
    Properties: details.properties ?? undefined,
    InnerFailure: details.innerFailure ? failureDetailsToWire(details.innerFailure) : undefined,
  };
}
