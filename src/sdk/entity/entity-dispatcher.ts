import type { InvocationContext } from "@azure/functions";
import type { EntityBatchRequest, EntityBatchResult } from "../../protocol";
import type { EntityContext, EntityHandler } from "./entity-types";
import { createOperationContext, operationResult } from "./operation-context";

/** The function registered for an entity: one entityTrigger batch in, one batch result out. */
export type EntityBatchHandler = (trigger: unknown, context: InvocationContext) => Promise<EntityBatchResult>;

/**
 * Runs every operation of an entity batch (protocol §5.2) through `handler` in order and returns
 * the batch result (§5.3). The trigger may be the parsed object or its JSON text.
 */
export function createEntityHandler<T>(handler: EntityHandler<T>): EntityBatchHandler {
  return async (trigger, context) => {
    const request = readBatchRequest(typeof trigger === "string" ? parseJson(trigger) : trigger);
    const batch: EntityBatchResult = { results: [], signals: [], entityExists: request.exists };
    batch.entityState = request.state;

    const entityContext = context as EntityContext<T>;
    for (let index = 0; index < request.batch.length; index++) {
      const startTime = new Date();
      entityContext.df = createOperationContext<T>(request.self, request.batch[index], batch, startTime);
      try {
        await Promise.resolve(handler(entityContext));
        // `return()` may already have recorded this operation's result.
        if (!batch.results[index]) {
          batch.results[index] = operationResult(false, startTime);
        }
      } catch (error) {
        // JSON.stringify of an Error is "{}": the host only learns that the operation failed.
        batch.results[index] = operationResult(true, startTime, JSON.stringify(error));
      }
    }
    return batch;
  };
}

function readBatchRequest(trigger: unknown): EntityBatchRequest {
  if (!hasOwn(trigger, "self") || !hasOwn(trigger, "exists") || !hasOwn(trigger, "batch")) {
    throw new Error("Could not find an entityTrigger binding on context.");
  }
  return trigger as EntityBatchRequest;
}

function hasOwn(value: unknown, key: string): boolean {
  return typeof value === "object" && value !== null && Object.prototype.hasOwnProperty.call(value, key);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
