import { HistoryEventType, type HistoryEvent } from "../../../protocol";
import {
  TaskFailedError,
  failureDetailsFromWire,
  type FailureDetailsWire,
} from "../../errors/task-failed-error";
import { functionNameOf } from "../actions";
import type { TaskBase } from "../tasks/task-base";

/** The value a successful completion carries (history payloads are JSON text). */
export function resultOf(event: HistoryEvent): unknown {
  switch (event.EventType) {
    case HistoryEventType.TaskCompleted:
    case HistoryEventType.SubOrchestrationInstanceCompleted:
      return JSON.parse(event.Result);
    case HistoryEventType.EventRaised:
      return event.Input ? JSON.parse(event.Input) : undefined;
    default:
      return undefined;
  }
}

/** The error a failure event carries: structured when the host sent FailureDetails, else Reason and Details. */
export function failureOf(event: HistoryEvent, task: TaskBase): Error {
  const fields = event as unknown as Record<string, unknown>;
  const details = Object.prototype.hasOwnProperty.call(event, "FailureDetails")
    ? fields.FailureDetails
    : undefined;
  if (details && typeof details === "object") {
    const taskId = typeof task.id === "number" ? task.id : undefined;
    return new TaskFailedError(
      failureDetailsFromWire(details as FailureDetailsWire),
      functionNameOf(task.action),
      taskId,
    );
  }
  if (hasOwnString(event, "Reason") && hasOwnString(event, "Details")) {
    return new Error(`${String(fields.Reason)} \n ${String(fields.Details)}`);
  }
  throw Error(
    `Task with ID ${String(task.id)} failed but we could not parse its exception data.` +
      "This is probably a replay failure, please file a bug report.",
  );
}

/** The body of an entity's answer: `result` is JSON text, `exceptionType` is set when the operation threw. */
export function readEntityResponse(value: unknown): { result?: string; exceptionType?: string } {
  if (typeof value !== "object" || value === null) {
    throw Error(
      "Attempted to construct ResponseMessage event from incompatible History event. " +
        "This is probably a bug in History-replay. Please file a bug report.",
    );
  }
  return {
    result: hasOwnString(value, "result") ? (value as { result: string }).result : undefined,
    exceptionType: hasOwnString(value, "exceptionType")
      ? (value as { exceptionType: string }).exceptionType
      : undefined,
  };
}

function hasOwnString(target: object, property: string): boolean {
  return (
    Object.prototype.hasOwnProperty.call(target, property) &&
    typeof (target as Record<string, unknown>)[property] === "string"
  );
}
