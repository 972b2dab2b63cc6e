import { ENTITY_OPERATION_EVENT, type EntityRequestMessage } from "../../protocol/entities";
import { HistoryEventType } from "../../protocol/history";
import {
  emptyCheckpoint,
  type OrchestrationCheckpoint,
  type OrchestrationWorkItem,
} from "../../providers/task-hub";
import { entityResponse } from "./entity-messages";
import { parseJsonObject } from "./scheduler-state";

/**
 * The checkpoint of an entity work item the worker gave up on: the entity's state stays as it
 * was, each caller waiting on one of the requests hears that it failed and why (so no
 * orchestration waits for an answer that will never come), and the messages are set aside.
 */
export function entityGiveUpCheckpoint(
  workItem: OrchestrationWorkItem,
  reason: string,
  timestamp: string,
): OrchestrationCheckpoint {
  const checkpoint = emptyCheckpoint();
  checkpoint.poisonReason = reason;
  const self = { instanceId: workItem.instanceId, executionId: null };
  for (const message of workItem.messages) {
    const event = message.event;
    if (event.EventType !== HistoryEventType.EventRaised) continue;
    if (event.Name !== ENTITY_OPERATION_EVENT && !event.Name.startsWith(`${ENTITY_OPERATION_EVENT}@`))
      continue;
    const request = parseJsonObject<EntityRequestMessage>(event.Input);
    if (!request || typeof request.id !== "string" || request.signal || !request.parent) continue;
    checkpoint.orchestratorMessages.push(
      entityResponse(
        request,
        {
          result: JSON.stringify(`The entity could not process the operation: ${reason}`),
          exceptionType: "Error",
        },
        self,
        timestamp,
      ),
    );
  }
  return checkpoint;
}
