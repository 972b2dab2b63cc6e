import type {
  EntityBatchOperation,
  EntityBatchResult,
  EntityIdPayload,
  EntityOperationResult,
} from "../../protocol";
import type { EntityId } from "../entity-id";
import type { DurableEntityContext } from "./entity-types";

/**
 * Builds `context.df` for one operation. Every method writes straight into `batch`, the result the
 * whole batch returns: there is no per-operation copy, so a failing operation keeps the changes it
 * made before throwing (durable-functions 3.5.0 behaves the same and the host relies on it).
 */
export function createOperationContext<T>(
  self: EntityIdPayload,
  operation: EntityBatchOperation,
  batch: EntityBatchResult,
  startTime: Date,
): DurableEntityContext<T> {
  return {
    entityName: self.name,
    entityKey: self.key,
    // The wire object itself, as the official worker does: an empty key is legal here.
    entityId: self as EntityId,
    operationName: operation.name,
    isNewlyConstructed: !batch.entityExists,

    getState(initializer?: () => T): T | undefined {
      if (batch.entityState) {
        return JSON.parse(batch.entityState) as T;
      }
      return initializer ? initializer() : undefined;
    },

    setState(state: T): void {
      batch.entityExists = true;
      batch.entityState = JSON.stringify(state);
    },

    getInput<TInput>(): TInput | undefined {
      return operation.input ? (JSON.parse(operation.input) as TInput) : undefined;
    },

    return<TResult>(result: TResult): void {
      // Returning a value counts as creating the entity, even without state.
      batch.entityExists = true;
      batch.results.push(operationResult(false, startTime, JSON.stringify(result)));
    },

    destructOnExit(): void {
      batch.entityExists = false;
      batch.entityState = undefined;
    },

    signalEntity(
      entity: EntityId,
      operationName: string,
      operationInput?: unknown,
      scheduledTimeUtc?: Date,
    ): void {
      batch.signals.push({
        target: entity,
        name: operationName,
        input: operationInput ? JSON.stringify(operationInput) : "",
        requestId: operation.id,
        requestTime: Date.now(),
        ...(scheduledTimeUtc ? { scheduledTime: scheduledTimeUtc.toISOString() } : {}),
      });
    },
  };
}

/** One entry of `results`, timed from `startTime` to now. */
export function operationResult(isError: boolean, startTime: Date, result?: string): EntityOperationResult {
  return {
    isError,
    duration: Date.now() - startTime.getTime(),
    startTime: startTime.getTime(),
    result,
  };
}
