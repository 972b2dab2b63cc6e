import { InvocationContext, type LogHandler } from "@azure/functions";
import { v1 as uuidV1 } from "uuid";
import type { DurableEntityContext, EntityContext } from "./entity-types";

/**
 * An entity context for unit tests of entity functions: a real InvocationContext whose `df` the
 * test (or the entity dispatcher) fills in.
 */
export class DummyEntityContext<T> extends InvocationContext implements EntityContext<T> {
  df: DurableEntityContext<T>;

  constructor(
    functionName: string = "dummyContextFunctionName",
    invocationId: string = uuidV1(),
    logHandler: LogHandler = (_level, ...args) => console.log(...args),
  ) {
    super({ functionName, invocationId, logHandler });
    // Same as durable-functions: df starts empty and is set per operation.
    this.df = undefined as unknown as DurableEntityContext<T>;
  }
}
