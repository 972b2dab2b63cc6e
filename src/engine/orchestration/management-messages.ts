import { HistoryEventType } from "../../protocol/history";
import type { TaskMessage } from "../../providers/task-hub";
import { REWIND_MARKER } from "./message-intake";

/** Messages the client (or a rewinding parent) sends to manage an instance. */

export function rewindMessage(instanceId: string, reason: string, timestamp: string): TaskMessage {
  return {
    event: {
      EventType: HistoryEventType.GenericEvent,
      EventId: -1,
      IsPlayed: false,
      Timestamp: timestamp,
      Data: `${REWIND_MARKER}:${reason}`,
    },
    instance: { instanceId, executionId: null },
  };
}

export function terminateMessage(instanceId: string, reason: string | null, timestamp: string): TaskMessage {
  return {
    event: {
      EventType: HistoryEventType.ExecutionTerminated,
      EventId: -1,
      IsPlayed: false,
      Timestamp: timestamp,
      Input: reason,
    },
    instance: { instanceId, executionId: null },
  };
}

export function suspendMessage(instanceId: string, reason: string | null, timestamp: string): TaskMessage {
  return {
    event: {
      EventType: HistoryEventType.ExecutionSuspended,
      EventId: -1,
      IsPlayed: false,
      Timestamp: timestamp,
      Reason: reason,
    },
    instance: { instanceId, executionId: null },
  };
}

export function resumeMessage(instanceId: string, reason: string | null, timestamp: string): TaskMessage {
  return {
    event: {
      EventType: HistoryEventType.ExecutionResumed,
      EventId: -1,
      IsPlayed: false,
      Timestamp: timestamp,
      Reason: reason,
    },
    instance: { instanceId, executionId: null },
  };
}

export function eventMessage(
  instanceId: string,
  name: string,
  input: string | null,
  timestamp: string,
): TaskMessage {
  return {
    event: {
      EventType: HistoryEventType.EventRaised,
      EventId: -1,
      IsPlayed: false,
      Timestamp: timestamp,
      Name: name,
      Input: input,
    },
    instance: { instanceId, executionId: null },
  };
}
