import { HistoryEventType, type HistoryEvent } from "../../protocol/history";
import type { TaskMessage } from "../../providers/task-hub";
import { rewindMessage } from "./management-messages";

export interface RewoundHistory {
  history: HistoryEvent[];
  /** The failed activities, scheduled again. */
  activityMessages: TaskMessage[];
  /** Rewinds of failed sub-orchestrations. */
  orchestratorMessages: TaskMessage[];
}

/**
 * Turns a failed execution back into a running one: the failure and the task failures of the
 * final episode are taken out of history (with the retry timer that followed a last attempt),
 * the failed activities are sent again and failed sub-orchestrations are rewound in turn.
 */
export function rewindHistory(history: readonly HistoryEvent[], instanceId: string): RewoundHistory {
  const lastStart = history.findLastIndex((e) => e.EventType === HistoryEventType.OrchestratorStarted);
  const drop = new Set<HistoryEvent>();
  const retried = new Set<number>();
  const result: RewoundHistory = { history: [], activityMessages: [], orchestratorMessages: [] };
  const scheduled = (id: number) =>
    history.find((e) => e.EventId === id && e.EventType !== HistoryEventType.TimerCreated);
  const createdTimer = (id: number) =>
    history.find((e) => e.EventType === HistoryEventType.TimerCreated && e.EventId === id);

  history.forEach((event, position) => {
    if (event.EventType === HistoryEventType.ExecutionCompleted) drop.add(event);
    if (position <= lastStart) return;
    if (event.EventType === HistoryEventType.TimerFired) {
      // A retry's final timer directly follows the last attempt's failure.
      const failure = history.find((e) =>
        e.EventType === HistoryEventType.TaskFailed ||
        e.EventType === HistoryEventType.SubOrchestrationInstanceFailed
          ? e.TaskScheduledId === event.TimerId - 1
          : false,
      );
      const timer = createdTimer(event.TimerId);
      if (failure && timer) {
        drop.add(event).add(timer).add(failure);
        retried.add(event.TimerId - 1);
      }
    }
    if (
      event.EventType === HistoryEventType.TaskFailed ||
      event.EventType === HistoryEventType.SubOrchestrationInstanceFailed
    ) {
      drop.add(event);
      retried.add(event.TaskScheduledId);
    }
  });

  for (const id of retried) {
    const origin = scheduled(id);
    if (origin?.EventType === HistoryEventType.TaskScheduled) {
      result.activityMessages.push({
        event: origin,
        instance: { instanceId, executionId: executionIdOf(history) },
      });
    } else if (origin?.EventType === HistoryEventType.SubOrchestrationInstanceCreated) {
      result.orchestratorMessages.push(rewindMessage(origin.InstanceId, "parent rewound", origin.Timestamp));
    }
  }
  result.history = history.filter((e) => !drop.has(e));
  return result;
}

function executionIdOf(history: readonly HistoryEvent[]): string | null {
  const started = history.find((e) => e.EventType === HistoryEventType.ExecutionStarted);
  return started?.EventType === HistoryEventType.ExecutionStarted
    ? started.OrchestrationInstance.ExecutionId
    : null;
}
