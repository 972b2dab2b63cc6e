import { HistoryEventType } from "../../protocol/history";
import type { OrchestrationCheckpoint, OrchestrationWorkItem, TaskMessage } from "../task-hub";

/** Whether an episode added history beyond the markers every episode writes. */
export function checkpointMadeProgress(checkpoint: OrchestrationCheckpoint): boolean {
  const history = checkpoint.history;
  if (!history) return false;
  return history.events
    .slice(history.events.length - history.newEventCount)
    .some(
      (e) =>
        e.EventType !== HistoryEventType.OrchestratorStarted &&
        e.EventType !== HistoryEventType.OrchestratorCompleted,
    );
}

/**
 * Marks outbound messages with the sending execution and its episode number (the count of
 * OrchestratorStarted events), as DTFx does, for ordering diagnostics on the receiving side.
 */
export function senderStamp(
  workItem: OrchestrationWorkItem,
  checkpoint: OrchestrationCheckpoint,
): (message: TaskMessage) => TaskMessage {
  const events = checkpoint.history?.events ?? workItem.history;
  const executionId =
    checkpoint.history?.executionId ?? checkpoint.state?.executionId ?? workItem.state?.executionId;
  if (executionId === undefined) return (message) => message;
  const episode = events.filter((e) => e.EventType === HistoryEventType.OrchestratorStarted).length;
  const sender = { instanceId: workItem.instanceId, executionId };
  return (message) => ({ sender, episode, ...message });
}
