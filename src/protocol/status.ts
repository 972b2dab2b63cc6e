/** Runtime statuses as the HTTP API and the client spell them. */
export type RuntimeStatusName =
  "Running" | "Completed" | "ContinuedAsNew" | "Failed" | "Canceled" | "Terminated" | "Pending" | "Suspended";

/** Every runtime status, at the index of its .NET numeric value (OrchestrationStatus). */
export const RUNTIME_STATUS_NAMES: readonly RuntimeStatusName[] = [
  "Running",
  "Completed",
  "ContinuedAsNew",
  "Failed",
  "Canceled",
  "Terminated",
  "Pending",
  "Suspended",
];

/** The status object of the HTTP API (one instance, or one item of a list). */
export interface OrchestrationStatusBody {
  name: string;
  instanceId: string;
  runtimeStatus: RuntimeStatusName;
  input: unknown;
  customStatus: unknown;
  output: unknown;
  /** "yyyy-MM-ddTHH:mm:ssZ" */
  createdTime: string;
  /** "yyyy-MM-ddTHH:mm:ssZ" */
  lastUpdatedTime: string;
  /** Present only with showHistory=true; a transformed history (EventType as a name string). */
  historyEvents?: Record<string, unknown>[];
}

export interface PurgeResultBody {
  instancesDeleted: number;
}

/** One item of the entity list route. */
export interface EntityListItemBody {
  entityId: { name: string; key: string };
  lastOperationTime: string;
  state: unknown;
}

/** The error body of the HTTP API. */
export interface ErrorBody {
  Message: string;
  ExceptionMessage?: string;
  ExceptionType?: string;
  StackTrace?: string;
}

export const CONTINUATION_TOKEN_HEADER = "x-ms-continuation-token";
