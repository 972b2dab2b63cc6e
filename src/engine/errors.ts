import type { RuntimeStatusName } from "../protocol/status";

/** No instance with that id exists in the task hub. */
export class InstanceNotFoundError extends Error {
  constructor(readonly instanceId: string) {
    super(`No instance with ID '${instanceId}' found.`);
    this.name = "InstanceNotFoundError";
  }
}

/**
 * The instance is in a status the operation does not apply to. `gone` marks instances that
 * have ended (the HTTP API answers 410 for them).
 */
export class InstanceStatusError extends Error {
  constructor(
    readonly instanceId: string,
    readonly runtimeStatus: RuntimeStatusName,
    readonly operation: string,
    /** What the caller can do instead, when there is something. */
    advice?: string,
  ) {
    super(
      `Cannot ${operation} instance '${instanceId}' because it is ${runtimeStatus}.` +
        (advice ? ` ${advice}` : ""),
    );
    this.name = "InstanceStatusError";
  }

  get gone(): boolean {
    return isTerminalStatus(this.runtimeStatus);
  }
}

export function isTerminalStatus(status: RuntimeStatusName): boolean {
  return status === "Completed" || status === "Failed" || status === "Terminated" || status === "Canceled";
}
