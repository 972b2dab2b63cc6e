import { HistoryEventType, type ExecutionStartedEvent, type HistoryEvent } from "../../protocol/history";
import { POISON_MARKER, type TaskMessage } from "../../providers/task-hub";
import { completedTaskId, ExecutionHistory } from "./execution-history";

/** How an episode's incoming messages sort out against the instance's history. */
export interface Intake {
  /** Set when the batch starts a new execution (a new instance, continue-as-new, restart). */
  start: ExecutionStartedEvent | undefined;
  /** History events to append, in order. */
  events: HistoryEvent[];
  terminateReason: string | undefined;
  rewindReason: string | undefined;
  /** Set when the provider took a poison message out: the execution fails with this reason. */
  poisonReason: string | undefined;
  /** Messages that must wait (out of order, or held while suspended). */
  deferred: TaskMessage[];
}

/** Marker GenericEvent data the client sends to rewind a failed instance. */
export const REWIND_MARKER = "rewind";

/**
 * Sorts the messages of a work item: duplicates and messages for other executions are dropped,
 * messages that arrive before what they answer are deferred, management messages become flags.
 */
export function takeMessages(committed: ExecutionHistory, messages: readonly TaskMessage[]): Intake {
  const intake: Intake = {
    start: undefined,
    events: [],
    terminateReason: undefined,
    rewindReason: undefined,
    poisonReason: undefined,
    deferred: [],
  };
  let history = committed;
  let suspended = committed.isSuspended;
  const queue = [...messages];
  // An ended execution can only be replaced: its successor's start goes first, so events that
  // were queued behind the old execution reach the new one.
  if (!committed.started || committed.isTerminal) {
    const at = queue.findIndex(
      (m) =>
        m.event.EventType === HistoryEventType.ExecutionStarted &&
        m.instance.executionId !== committed.executionId,
    );
    if (at > 0) queue.unshift(...queue.splice(at, 1));
  }
  const heldWhileSuspended: TaskMessage[] = [];
  const hold = (message: TaskMessage) => (suspended ? heldWhileSuspended : intake.deferred).push(message);

  for (let message = queue.shift(); message; message = queue.shift()) {
    const event = message.event;
    const executionId = history.executionId;
    // The next generation's start is on its way: keep everything else for it.
    if (history.runtimeStatus === "ContinuedAsNew" && event.EventType !== HistoryEventType.ExecutionStarted) {
      intake.deferred.push(message);
      continue;
    }
    const sameExecution = (id: string | null) => id === null || id === undefined || id === executionId;

    switch (event.EventType) {
      case HistoryEventType.ExecutionStarted: {
        const isNewExecution = event.OrchestrationInstance.ExecutionId !== executionId;
        // A start for a live execution is a duplicate; a finished one may be started again.
        if (isNewExecution && (!history.started || history.isTerminal)) {
          intake.start = event;
          intake.events = [event];
          intake.terminateReason = undefined;
          history = new ExecutionHistory([event]);
          suspended = false;
        }
        break;
      }
      case HistoryEventType.ExecutionTerminated:
        if (!history.isTerminal) intake.terminateReason = event.Input ?? "";
        break;
      case HistoryEventType.ExecutionSuspended:
        if (history.started && !history.isTerminal && !suspended) {
          suspended = true;
          intake.events.push(event);
        }
        break;
      case HistoryEventType.ExecutionResumed:
        if (history.started && suspended) {
          suspended = false;
          intake.events.push(event);
          // What arrived while suspended is processed after the resume.
          queue.unshift(...heldWhileSuspended.splice(0));
        }
        break;
      case HistoryEventType.GenericEvent:
        if (event.Data !== null && event.Data.startsWith(REWIND_MARKER)) {
          intake.rewindReason = event.Data.slice(REWIND_MARKER.length + 1);
        } else if (event.Data !== null && event.Data.startsWith(`${POISON_MARKER}:`)) {
          intake.poisonReason ??= event.Data.slice(POISON_MARKER.length + 1);
        }
        break;
      case HistoryEventType.TaskCompleted:
      case HistoryEventType.TaskFailed:
      case HistoryEventType.SubOrchestrationInstanceCompleted:
      case HistoryEventType.SubOrchestrationInstanceFailed:
      case HistoryEventType.TimerFired: {
        if (!sameExecution(message.instance.executionId)) break;
        const id = completedTaskId(event) as number;
        if (history.isCompleted(id) || intake.events.some((e) => completedTaskId(e) === id)) break;
        if (!history.isScheduled(id)) intake.deferred.push(message);
        else if (suspended) hold(message);
        else intake.events.push(event);
        break;
      }
      case HistoryEventType.EventRaised: {
        if (!sameExecution(message.instance.executionId)) break;
        // An entity's answer that history already holds is a redelivery.
        if (history.isAnsweredRequest(event.Name)) break;
        if (suspended) hold(message);
        else intake.events.push(event);
        break;
      }
      default:
        if (suspended) hold(message);
        else intake.events.push(event);
        break;
    }
  }
  intake.deferred.push(...heldWhileSuspended);
  return intake;
}
