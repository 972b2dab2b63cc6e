import type { FunctionOptions, FunctionTrigger, InvocationContext } from "@azure/functions";
import type { EntityId } from "../entity-id";

/** An entity function: called once per operation of a batch, with the operation on `context.df`. */
export type EntityHandler<T> = (context: EntityContext<T>) => void;

export interface EntityOptions<T> extends Partial<FunctionOptions> {
  handler: EntityHandler<T>;
}

export interface EntityTrigger extends FunctionTrigger {
  type: "entityTrigger";
}

/** The invocation context an entity function receives. */
export interface EntityContext<T> extends InvocationContext {
  df: DurableEntityContext<T>;
}

/** The entity API for the operation currently running. `TState` is the JSON-serialisable state. */
export interface DurableEntityContext<TState> {
  readonly entityName: string;
  readonly entityKey: string;
  readonly entityId: EntityId;
  readonly operationName: string | undefined;
  /** True when the entity did not exist before this operation. */
  readonly isNewlyConstructed: boolean;

  /** The current state; `initializer` supplies a value (not stored) when there is none. */
  getState(initializer?: () => TState): TState | undefined;
  setState(state: TState): void;
  /** The operation input, or `undefined` when none was sent. */
  getInput<TInput = TState>(): TInput | undefined;
  /** Sets the operation result returned to the caller. */
  return<TResult = TState>(result: TResult): void;
  /** Deletes the entity's state. */
  destructOnExit(): void;
  /**
   * Fire-and-forget operation on another entity. `scheduledTimeUtc` (durable-ts; the official
   * package has no such parameter) delivers it no earlier than that time.
   */
  signalEntity(
    entity: EntityId,
    operationName: string,
    operationInput?: unknown,
    scheduledTimeUtc?: Date,
  ): void;
}
