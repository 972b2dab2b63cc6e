/**
 * What an execution's end or step leaves behind, shared by the runner's episodes and the
 * worker's give-up: the parent's notice, the instance's status row, the episode's time.
 */
import {
  HistoryEventType,
  type ExecutionStartedEvent,
  type FailureDetails,
  type HistoryEvent,
} from "../../protocol/history";
import type { InstanceState, OrchestrationWorkItem, TaskMessage } from "../../providers/task-hub";
import type { ExecutionHistory } from "./execution-history";

/** Episodes get strictly increasing times, so the worker's clock never goes back. */
export function episodeTime(past: readonly HistoryEvent[], now: Date): Date {
  let last = 0;
  for (const e of past) {
    if (e.EventType === HistoryEventType.OrchestratorStarted) last = Math.max(last, Date.parse(e.Timestamp));
  }
  return now.getTime() > last ? now : new Date(last + 1);
}

/** The message that tells a sub-orchestration's parent how it ended; none for a top-level one. */
export function parentNotice(
  started: ExecutionStartedEvent,
  succeeded: boolean,
  resultOrReason: string,
  details: string,
  timestamp: string,
  failureDetails?: FailureDetails,
): TaskMessage[] {
  const parent = started.ParentInstance;
  if (!parent) return [];
  const instance = {
    instanceId: parent.OrchestrationInstance.InstanceId,
    executionId: parent.OrchestrationInstance.ExecutionId,
  };
  const sender = {
    instanceId: started.OrchestrationInstance.InstanceId,
    executionId: started.OrchestrationInstance.ExecutionId,
  };
  const event: HistoryEvent = succeeded
    ? {
        EventType: HistoryEventType.SubOrchestrationInstanceCompleted,
        EventId: -1,
        IsPlayed: false,
        Timestamp: timestamp,
        TaskScheduledId: parent.TaskScheduleId,
        Result: resultOrReason,
      }
    : {
        EventType: HistoryEventType.SubOrchestrationInstanceFailed,
        EventId: -1,
        IsPlayed: false,
        Timestamp: timestamp,
        TaskScheduledId: parent.TaskScheduleId,
        Reason: resultOrReason,
        Details: details,
        FailureDetails: failureDetails ?? null,
      };
  return [{ event, instance, sender }];
}

/** The status row after an episode that appended `added` to the execution. */
export function instanceStateAfter(
  workItem: OrchestrationWorkItem,
  started: ExecutionStartedEvent,
  history: ExecutionHistory,
  added: readonly HistoryEvent[],
  customStatus: string | null,
  timestamp: string,
): InstanceState {
  // An execution that had ended returned before running, so only this episode can end it.
  const completed = added.findLast((e) => e.EventType === HistoryEventType.ExecutionCompleted);
  const status = history.runtimeStatus ?? "Running";
  const previous = workItem.state;
  return {
    instanceId: workItem.instanceId,
    name: started.Name,
    version: started.Version,
    executionId: started.OrchestrationInstance.ExecutionId,
    runtimeStatus: status,
    input: started.Input,
    output:
      completed && completed.EventType === HistoryEventType.ExecutionCompleted ? completed.Result : null,
    customStatus,
    createdTime:
      previous && previous.executionId === started.OrchestrationInstance.ExecutionId
        ? previous.createdTime
        : started.Timestamp,
    lastUpdatedTime: timestamp,
    completedTime: history.isTerminal && status !== "ContinuedAsNew" ? timestamp : null,
    parentInstanceId: started.ParentInstance?.OrchestrationInstance.InstanceId ?? null,
    scheduledStartTime: started.ScheduledStartTime,
    generation: previous?.generation ?? started.Generation,
  };
}
