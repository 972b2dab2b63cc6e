import { HistoryEventType, type HistoryEvent } from "../../protocol/history";
import type { TaskMessage } from "../../providers/task-hub";
import * as events from "../history-events";
import { REWIND_MARKER } from "./message-intake";

/** Messages the client (or a rewinding parent) sends to manage an instance's current execution. */

function toInstance(instanceId: string, event: HistoryEvent): TaskMessage {
  return { event, instance: { instanceId, executionId: null } };
}

export function rewindMessage(instanceId: string, reason: string, timestamp: string): TaskMessage {
  return toInstance(instanceId, {
    EventType: HistoryEventType.GenericEvent,
    EventId: -1,
    IsPlayed: false,
    Timestamp: timestamp,
    Data: `${REWIND_MARKER}:${reason}`,
  });
}

export function terminateMessage(instanceId: string, reason: string | null, timestamp: string): TaskMessage {
  return toInstance(instanceId, events.executionTerminated(reason, timestamp));
}

export function suspendMessage(instanceId: string, reason: string | null, timestamp: string): TaskMessage {
  return toInstance(instanceId, {
    EventType: HistoryEventType.ExecutionSuspended,
    EventId: -1,
    IsPlayed: false,
    Timestamp: timestamp,
    Reason: reason,
  });
}

export function resumeMessage(instanceId: string, reason: string | null, timestamp: string): TaskMessage {
  return toInstance(instanceId, {
    EventType: HistoryEventType.ExecutionResumed,
    EventId: -1,
    IsPlayed: false,
    Timestamp: timestamp,
    Reason: reason,
  });
}

export function eventMessage(
  instanceId: string,
  name: string,
  input: string | null,
  timestamp: string,
): TaskMessage {
  return toInstance(instanceId, events.eventRaised(name, input, timestamp));
}
