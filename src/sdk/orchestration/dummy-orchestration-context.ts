import { InvocationContext, type LogHandler } from "@azure/functions";
import { v1 as uuidV1 } from "uuid";
import type { DurableOrchestrationContext } from "./context";
import type { OrchestrationContext } from "./types";

/**
 * An orchestration context for unit tests of orchestrators: a real InvocationContext whose `df`
 * the orchestration handler fills in when it is invoked (or the test sets to a stub).
 */
export class DummyOrchestrationContext extends InvocationContext implements OrchestrationContext {
  df: DurableOrchestrationContext;

  constructor(
    functionName: string = "dummyContextFunctionName",
    invocationId: string = uuidV1(),
    logHandler: LogHandler = (_level, ...args) => console.log(...args),
  ) {
    super({ functionName, invocationId, logHandler });
    // Same as durable-functions: df starts empty.
    this.df = undefined as unknown as DurableOrchestrationContext;
  }
}
