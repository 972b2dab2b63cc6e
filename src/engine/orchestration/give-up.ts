import {
  OrchestrationStatusCode,
  HistoryEventType,
  type ExecutionStartedEvent,
  type HistoryEvent,
} from "../../protocol/history";
import {
  emptyCheckpoint,
  poisonFailureDetails,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
} from "../../providers/task-hub";
import * as events from "../history-events";
import { ExecutionHistory } from "./execution-history";
import { episodeTime, instanceStateAfter, parentNotice } from "./execution-outcome";
import { releasesForHeldLock } from "./lock-release";

/**
 * The checkpoint of a work item the worker gave up on (see `WorkItemFailures`): the execution
 * it was for fails with `reason` without the orchestrator running again, its parent hears of
 * it, and the messages are set aside as poison. With `statusOnly`, for when even that history
 * could not be written, only the status row says so.
 */
export function giveUpCheckpoint(
  workItem: OrchestrationWorkItem,
  reason: string,
  statusOnly: boolean,
  now: Date,
): OrchestrationCheckpoint {
  const checkpoint = emptyCheckpoint();
  checkpoint.poisonReason = reason;
  const committed = new ExecutionHistory(workItem.history);
  // A start of a new execution among the messages is the execution that failed to begin.
  const start = workItem.messages
    .map((m) => m.event)
    .findLast(
      (e): e is ExecutionStartedEvent =>
        e.EventType === HistoryEventType.ExecutionStarted &&
        e.OrchestrationInstance.ExecutionId !== committed.executionId,
    );
  const started = start ?? committed.started;
  if (!started || (!start && committed.isTerminal)) return checkpoint;
  const timestamp = episodeTime(workItem.history, now).toISOString();
  const failure = poisonFailureDetails(reason);
  checkpoint.orchestratorMessages.push(...parentNotice(started, false, reason, reason, timestamp, failure));
  const executionId = started.OrchestrationInstance.ExecutionId;
  if (start || statusOnly) {
    const base = workItem.state?.executionId === executionId ? workItem.state : undefined;
    checkpoint.state = {
      ...instanceStateAfter(
        workItem,
        started,
        new ExecutionHistory([started]),
        [],
        base?.customStatus ?? null,
        timestamp,
      ),
      runtimeStatus: "Failed",
      output: reason,
      completedTime: timestamp,
    };
    return checkpoint;
  }
  const added: HistoryEvent[] = [
    events.orchestratorStarted(timestamp),
    events.executionCompleted(OrchestrationStatusCode.Failed, reason, timestamp, failure),
    events.orchestratorCompleted(timestamp),
  ];
  const eventsAfter = [...workItem.history, ...added];
  checkpoint.history = { executionId, events: eventsAfter, newEventCount: added.length };
  const current = new ExecutionHistory(eventsAfter);
  checkpoint.orchestratorMessages.push(
    ...releasesForHeldLock(eventsAfter, { instanceId: workItem.instanceId, executionId }, timestamp),
  );
  checkpoint.state = instanceStateAfter(
    workItem,
    started,
    current,
    added,
    workItem.state?.customStatus ?? null,
    timestamp,
  );
  return checkpoint;
}
