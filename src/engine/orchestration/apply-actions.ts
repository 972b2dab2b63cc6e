import { HistoryEventType, type FailureDetails, type HistoryEvent } from "../../protocol/history";
import type { OrchestrationStatusCode } from "../../protocol/history";
import type { MessageInstance, TaskMessage } from "../../providers/task-hub";
import * as events from "../history-events";
import type { RemoteAction } from "./remote-executor";

/** The actions cannot be applied: the orchestrator is not deterministic, or asked for what we lack. */
export class RemoteActionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RemoteActionError";
  }
}

/** What a remote worker's actions add to this episode. */
export interface AppliedActions {
  newEvents: HistoryEvent[];
  activityMessages: TaskMessage[];
  /** Present when the worker ended the execution. */
  completion?: {
    status: OrchestrationStatusCode;
    result: string | null;
    failureDetails: FailureDetails | null;
  };
}

/**
 * Applies the actions a remote worker returned, which it numbered itself: an action whose
 * number history already records (as a scheduling event's EventId) must be the same task, one
 * it does not record becomes a new scheduling event with that number and its message.
 */
export function applyRemoteActions(
  self: MessageInstance,
  history: readonly HistoryEvent[],
  actions: readonly RemoteAction[],
  timestamp: string,
): AppliedActions {
  const recorded = new Map<number, HistoryEvent>();
  for (const event of history) {
    if (isSchedulingEvent(event)) recorded.set(event.EventId, event);
  }
  const applied: AppliedActions = { newEvents: [], activityMessages: [] };
  for (const action of [...actions].sort((a, b) => a.id - b.id)) {
    switch (action.kind) {
      case "scheduleTask": {
        const earlier = recorded.get(action.id);
        if (earlier) {
          if (earlier.EventType !== HistoryEventType.TaskScheduled || earlier.Name !== action.name) {
            throw new RemoteActionError(
              `Non-deterministic orchestrator: action ${action.id} schedules activity '${action.name}', ` +
                `but history records ${describe(earlier)} for it.`,
            );
          }
          break;
        }
        const event = events.taskScheduled(action.id, action.name, action.input, timestamp);
        if (action.version !== null) event.Version = action.version;
        applied.newEvents.push(event);
        applied.activityMessages.push({ event, instance: self });
        break;
      }
      case "completeOrchestration":
        applied.completion = {
          status: action.status,
          result: action.result,
          failureDetails: action.failureDetails,
        };
        break;
      case "unsupported":
        throw new RemoteActionError(
          `The orchestrator returned ${action.description}, which the gRPC endpoint does not run yet.`,
        );
    }
  }
  return applied;
}

function isSchedulingEvent(event: HistoryEvent): boolean {
  return (
    event.EventType === HistoryEventType.TaskScheduled ||
    event.EventType === HistoryEventType.TimerCreated ||
    event.EventType === HistoryEventType.SubOrchestrationInstanceCreated ||
    event.EventType === HistoryEventType.EventSent
  );
}

function describe(event: HistoryEvent): string {
  return event.EventType === HistoryEventType.TaskScheduled
    ? `activity '${event.Name}'`
    : `a ${HistoryEventType[event.EventType]} event`;
}
