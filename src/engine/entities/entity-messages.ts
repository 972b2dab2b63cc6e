import type { EntityIdPayload } from "../../protocol/actions";
import {
  ENTITY_OPERATION_EVENT,
  LOCK_ACQUIRED_RESULT,
  entityInstanceId,
  type EntityRequestMessage,
  type EntityResponseMessage,
} from "../../protocol/entities";
import type { MessageInstance, TaskMessage } from "../../providers/task-hub";
import * as events from "../history-events";
import { newGuid } from "../ids";

/** Event name an entity sends itself when a full batch left work in its queue. */
export const ENTITY_CONTINUE_EVENT = "continue";

/** The answer to a call (protocol §5.5): an event named after the request id, to the caller's execution. */
export function entityResponse(
  request: EntityRequestMessage,
  answer: EntityResponseMessage,
  sender: MessageInstance,
  timestamp: string,
): TaskMessage {
  return {
    event: events.eventRaised(request.id, JSON.stringify(answer), timestamp),
    instance: { instanceId: request.parent as string, executionId: request.parentExecution ?? null },
    sender,
  };
}

/** A signal to an entity (protocol §5.4), from a client or another entity. */
export function entitySignal(
  target: EntityIdPayload,
  operation: string,
  input: string | undefined,
  timestamp: string,
  options: { id?: string; parent?: string; sender?: MessageInstance; due?: string } = {},
): TaskMessage {
  const request: EntityRequestMessage = {
    op: operation,
    signal: true,
    ...(input ? { input } : {}),
    id: options.id ?? newGuid(),
    ...(options.parent ? { parent: options.parent } : {}),
    ...(options.due ? { due: options.due } : {}),
  };
  const name = options.due ? `${ENTITY_OPERATION_EVENT}@${options.due}` : ENTITY_OPERATION_EVENT;
  return {
    event: events.eventRaised(name, JSON.stringify(request), timestamp),
    instance: { instanceId: entityInstanceId(target), executionId: null },
    ...(options.sender ? { sender: options.sender } : {}),
    ...(options.due ? { visibleAt: options.due } : {}),
  };
}

/**
 * After this entity granted its lock: the request goes on to the next entity of the lock set,
 * or, from the last one, the orchestration learns it holds them all.
 */
export function lockProgress(
  request: EntityRequestMessage,
  sender: MessageInstance,
  timestamp: string,
): TaskMessage {
  const lockSet = request.lockset ?? [];
  const position = (request.pos ?? 0) + 1;
  const next = lockSet[position];
  if (next) {
    const forwarded: EntityRequestMessage = { ...request, pos: position };
    return {
      event: events.eventRaised(ENTITY_OPERATION_EVENT, JSON.stringify(forwarded), timestamp),
      instance: { instanceId: entityInstanceId(next), executionId: null },
      sender,
    };
  }
  return entityResponse(request, { result: LOCK_ACQUIRED_RESULT }, sender, timestamp);
}

export function continueMessage(self: MessageInstance, timestamp: string): TaskMessage {
  return {
    event: events.eventRaised(ENTITY_CONTINUE_EVENT, null, timestamp),
    instance: { instanceId: self.instanceId, executionId: null },
    sender: self,
  };
}

/** A request delivered before its time (a queue's delay limit) goes round again until it is due. */
export function redelivery(message: TaskMessage, due: string): TaskMessage {
  return { ...message, visibleAt: due };
}
