import type { EntityIdPayload } from "../../protocol/actions";
import {
  ENTITY_OPERATION_EVENT,
  ENTITY_RELEASE_EVENT,
  entityInstanceId,
  type EntityReleaseMessage,
  type EntityRequestMessage,
} from "../../protocol/entities";
import { HistoryEventType, type HistoryEvent } from "../../protocol/history";
import type { MessageInstance, TaskMessage } from "../../providers/task-hub";
import { parseJsonObject } from "../entities/scheduler-state";
import * as events from "../history-events";

interface LockRequest {
  id: string;
  lockSet: EntityIdPayload[];
}

/**
 * Release messages for the critical section an ending execution still holds: its last lock
 * request was granted and not released. Entities would otherwise stay locked by an
 * orchestration that can no longer release them.
 */
export function releasesForHeldLock(
  history: readonly HistoryEvent[],
  self: MessageInstance,
  timestamp: string,
): TaskMessage[] {
  let open: LockRequest | undefined;
  let granted = false;
  for (const event of history) {
    if (event.EventType === HistoryEventType.EventSent) {
      const request = lockRequestOf(event.Name, event.Input);
      if (request) {
        open = request;
        granted = false;
      } else if (event.Name === ENTITY_RELEASE_EVENT) {
        open = undefined;
      }
    } else if (event.EventType === HistoryEventType.EventRaised && open && event.Name === open.id) {
      granted = true;
    }
  }
  return open && granted ? releaseMessages(open, self, timestamp) : [];
}

/**
 * Release messages for lock grants that reached an execution after it ended: the entities
 * locked themselves for it on the way, and nobody else will unlock them.
 */
export function releasesForLateGrants(
  history: readonly HistoryEvent[],
  messages: readonly TaskMessage[],
  self: MessageInstance,
  timestamp: string,
): TaskMessage[] {
  const requests = new Map<string, LockRequest>();
  for (const event of history) {
    if (event.EventType !== HistoryEventType.EventSent) continue;
    const request = lockRequestOf(event.Name, event.Input);
    if (request) requests.set(request.id, request);
  }
  if (requests.size === 0) return [];
  const releases: TaskMessage[] = [];
  for (const message of messages) {
    const event = message.event;
    if (event.EventType !== HistoryEventType.EventRaised) continue;
    if (message.instance.executionId !== null && message.instance.executionId !== self.executionId) continue;
    const request = requests.get(event.Name);
    if (request) releases.push(...releaseMessages(request, self, timestamp));
  }
  return releases;
}

function lockRequestOf(name: string, input: string | null): LockRequest | undefined {
  if (name !== ENTITY_OPERATION_EVENT) return undefined;
  const request = parseJsonObject<EntityRequestMessage>(input);
  return request && Array.isArray(request.lockset) ? { id: request.id, lockSet: request.lockset } : undefined;
}

function releaseMessages(request: LockRequest, self: MessageInstance, timestamp: string): TaskMessage[] {
  const body: EntityReleaseMessage = { parent: self.instanceId, id: request.id };
  return request.lockSet.map((entity) => ({
    event: events.eventRaised(ENTITY_RELEASE_EVENT, JSON.stringify(body), timestamp),
    instance: { instanceId: entityInstanceId(entity), executionId: null },
    sender: self,
  }));
}
