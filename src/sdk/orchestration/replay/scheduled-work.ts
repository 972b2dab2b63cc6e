import { ActionType, HistoryEventType } from "../../../protocol";
import { EntityId } from "../../entity-id";
import { HTTP_ACTIVITY_NAME, type ActionDraft } from "../actions";

/**
 * What the host must have written to history for one sequence number the code consumed: the kind
 * of scheduling event, and the names it must carry. `label` says in words what the code asked for.
 */
export type ScheduledWork =
  | { event: HistoryEventType.TaskScheduled; name: string; label: string }
  | {
      event: HistoryEventType.SubOrchestrationInstanceCreated;
      name: string;
      instanceId?: string;
      label: string;
    }
  | { event: HistoryEventType.TimerCreated; label: string }
  | { event: HistoryEventType.EventSent; targets: string[]; label: string };

/** The scheduling event one action produces, or undefined for actions that consume no number. */
export function workOfAction(action: ActionDraft): ScheduledWork | undefined {
  switch (action.actionType) {
    case ActionType.CallActivity:
    case ActionType.CallActivityWithRetry:
      return {
        event: HistoryEventType.TaskScheduled,
        name: action.functionName,
        label: `activity '${action.functionName}'`,
      };
    case ActionType.CallSubOrchestrator:
    case ActionType.CallSubOrchestratorWithRetry:
      return {
        event: HistoryEventType.SubOrchestrationInstanceCreated,
        name: action.functionName,
        instanceId: action.instanceId || undefined,
        label:
          `sub-orchestration '${action.functionName}'` +
          (action.instanceId ? ` with instance id '${action.instanceId}'` : ""),
      };
    case ActionType.CreateTimer:
      return { event: HistoryEventType.TimerCreated, label: `timer firing at ${isoOrText(action.fireAt)}` };
    case ActionType.CallHttp:
      return {
        event: HistoryEventType.TaskScheduled,
        name: HTTP_ACTIVITY_NAME,
        label: `HTTP ${action.httpRequest.method} ${action.httpRequest.uri} (activity '${HTTP_ACTIVITY_NAME}')`,
      };
    case ActionType.CallEntity:
      return {
        event: HistoryEventType.EventSent,
        targets: [action.instanceId],
        label: `call of operation '${action.operation}' on entity '${action.instanceId}'`,
      };
    case ActionType.SignalEntity:
    case ActionType.ScheduledSignalEntity:
      return {
        event: HistoryEventType.EventSent,
        targets: [action.instanceId],
        label: `signal of operation '${action.operation}' to entity '${action.instanceId}'`,
      };
    case ActionType.LockEntities: {
      // The request goes to the first entity of the lock set; any of them is accepted, so a host
      // that orders the set differently is not taken for a changed orchestration.
      const targets = action.lockSet.map((entity) => EntityId.toInstanceId(entity));
      return { event: HistoryEventType.EventSent, targets, label: `lock request on ${targets.join(", ")}` };
    }
    default:
      return undefined;
  }
}

/** The work of the retry timer a host inserts after a failed attempt. */
export function retryTimerWork(attempt: ScheduledWork | undefined): ScheduledWork {
  return {
    event: HistoryEventType.TimerCreated,
    label: `retry timer after a failed attempt of ${attempt?.label ?? "a task"}`,
  };
}

/** The work of one of the `count` release messages of a critical section. */
export function releaseWork(lockedEntities: string[]): ScheduledWork {
  return {
    event: HistoryEventType.EventSent,
    targets: lockedEntities,
    label: `lock release sent to one of ${lockedEntities.join(", ")}`,
  };
}

function isoOrText(date: Date): string {
  return Number.isNaN(date.getTime()) ? String(date) : date.toISOString();
}
