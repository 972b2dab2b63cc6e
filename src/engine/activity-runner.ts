import type { DurableHttpRequestPayload } from "../protocol/actions";
import {
  HistoryEventType,
  type FailureDetails,
  type HistoryEvent,
  type TaskScheduledEvent,
} from "../protocol/history";
import type { Clock } from "../providers/clock";
import type { TaskMessage } from "../providers/task-hub";
import { runHttpActivity } from "./http-activity";
import type { FunctionInvoker } from "./invoker";
import { HTTP_ACTIVITY_NAME } from "./orchestration/host-replay";
import type { RemoteExecutor } from "./orchestration/remote-executor";

/** Runs one activity request and builds the response message for the scheduling orchestration. */
export class ActivityRunner {
  constructor(
    private readonly invoker: FunctionInvoker,
    private readonly clock: Clock,
    /** Runs the activities the invoker does not know (Durable Task SDK workers). */
    private readonly remote?: RemoteExecutor,
  ) {}

  async run(request: TaskMessage): Promise<TaskMessage> {
    const scheduled = request.event as TaskScheduledEvent;
    if (
      this.remote &&
      scheduled.Name !== HTTP_ACTIVITY_NAME &&
      !this.invoker.hasFunction("activity", scheduled.Name)
    ) {
      return this.runRemote(this.remote, request, scheduled);
    }
    let event: HistoryEvent;
    try {
      const result = await this.invoke(scheduled, request.instance.instanceId);
      event = {
        EventType: HistoryEventType.TaskCompleted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: this.clock.now().toISOString(),
        TaskScheduledId: scheduled.EventId,
        Result: JSON.stringify(result === undefined ? null : result),
      };
    } catch (error) {
      event = this.failure(scheduled, error);
    }
    return { event, instance: request.instance };
  }

  /** A remote worker gets the input as the orchestrator sent it and answers in JSON text. */
  private async runRemote(
    remote: RemoteExecutor,
    request: TaskMessage,
    scheduled: TaskScheduledEvent,
  ): Promise<TaskMessage> {
    const outcome = await remote.runActivity({
      instanceId: request.instance.instanceId,
      executionId: request.instance.executionId,
      name: scheduled.Name,
      version: scheduled.Version,
      input: scheduled.Input,
      taskId: scheduled.EventId,
    });
    const base = { EventId: -1, IsPlayed: false, Timestamp: this.clock.now().toISOString() };
    const event: HistoryEvent =
      "failure" in outcome
        ? {
            ...base,
            EventType: HistoryEventType.TaskFailed,
            TaskScheduledId: scheduled.EventId,
            Reason: outcome.failure.ErrorMessage,
            Details: outcome.failure.StackTrace ?? "",
            FailureDetails: outcome.failure,
          }
        : {
            ...base,
            EventType: HistoryEventType.TaskCompleted,
            TaskScheduledId: scheduled.EventId,
            // The SDKs send JSON text, never empty: empty stands for "no result".
            Result: outcome.result ?? "",
          };
    return { event, instance: request.instance };
  }

  private invoke(scheduled: TaskScheduledEvent, instanceId: string): Promise<unknown> {
    const input = decodeActivityInput(scheduled.Input);
    if (scheduled.Name === HTTP_ACTIVITY_NAME) return runHttpActivity(input as DurableHttpRequestPayload);
    if (!this.invoker.hasFunction("activity", scheduled.Name)) {
      return Promise.reject(
        new Error(
          `The function '${scheduled.Name}' doesn't exist, is disabled, or is not an activity function.`,
        ),
      );
    }
    return this.invoker.invokeActivity(scheduled.Name, input, { instanceId });
  }

  private failure(scheduled: TaskScheduledEvent, error: unknown): HistoryEvent {
    const message = error instanceof Error ? error.message : String(error);
    const details = structuredFailure(message);
    return {
      EventType: HistoryEventType.TaskFailed,
      EventId: -1,
      IsPlayed: false,
      Timestamp: this.clock.now().toISOString(),
      TaskScheduledId: scheduled.EventId,
      Reason: `Activity function '${scheduled.Name}' failed: ${details?.ErrorMessage ?? message}`,
      Details: JSON.stringify({
        name: error instanceof Error ? error.name : typeof error,
        message: details?.ErrorMessage ?? message,
        stack: error instanceof Error ? (error.stack ?? null) : null,
      }),
      FailureDetails: details ?? null,
    };
  }
}

/**
 * The input as the Node worker hands it to the activity: the host stores `[input]`, sends the
 * element as text, and the worker JSON-parses it (keeping the text when that fails). So string
 * inputs, which the SDK pre-encodes, arrive decoded; other values arrive as they were.
 */
export function decodeActivityInput(stored: string | null): unknown {
  if (stored === null) return undefined;
  const parsed: unknown = JSON.parse(stored);
  const value = Array.isArray(parsed) ? parsed[0] : parsed;
  if (typeof value !== "string") return value ?? undefined;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

/**
 * With an exception-properties provider registered, the SDK replaces a failed activity's
 * message with camelCase JSON describing the error; newer extensions turn it into FailureDetails.
 */
function structuredFailure(message: string): FailureDetails | undefined {
  if (!message.startsWith("{")) return undefined;
  try {
    const parsed = JSON.parse(message) as Record<string, unknown>;
    if (typeof parsed.errorType !== "string" || typeof parsed.errorMessage !== "string") return undefined;
    return {
      ErrorType: parsed.errorType,
      ErrorMessage: parsed.errorMessage,
      StackTrace: typeof parsed.stackTrace === "string" ? parsed.stackTrace : null,
      InnerFailure: null,
      IsNonRetriable: parsed.isNonRetriable === true,
      Properties:
        typeof parsed.properties === "object" && parsed.properties !== null
          ? (parsed.properties as Record<string, unknown>)
          : null,
    };
  } catch {
    return undefined;
  }
}
