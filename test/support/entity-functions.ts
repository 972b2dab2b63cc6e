/**
 * Registers the same entity handler through durable-functions 3.5.0 and through durable-ts and
 * returns the function each hands to the worker, so a test can feed both the same batch.
 * The calling test file must mock "@azure/functions-core" with functions-core-capture.
 */
import { InvocationContext } from "@azure/functions";
import type * as Official from "durable-functions";
import type { EntityHandler } from "../../src/sdk/entity";
import { capturedFunctions, resetCapturedFunctions } from "./functions-core-capture";

export type EntityFunction = (trigger: unknown, context: InvocationContext) => Promise<unknown>;

export interface EntityFunctionPair {
  official: EntityFunction;
  ours: EntityFunction;
}

export function registerEntityBothWays(handler: EntityHandler<unknown>): EntityFunctionPair {
  return {
    official: registerWith((name) => {
      jest.requireActual<typeof Official>("durable-functions").app.entity(name, handler);
    }),
    ours: registerWith((name) => {
      jest.requireActual<typeof import("../../src")>("../../src").app.entity(name, handler);
    }),
  };
}

function registerWith(register: (name: string) => void): EntityFunction {
  resetCapturedFunctions();
  jest.isolateModules(() => register("TestEntity"));
  const [captured] = capturedFunctions();
  return captured.callback as EntityFunction;
}

/** A fresh invocation context, as the worker creates one per invocation. */
export function entityInvocationContext(): InvocationContext {
  return new InvocationContext({
    functionName: "TestEntity",
    invocationId: "inv-1",
    logHandler: () => undefined,
  });
}

/**
 * The batch result as the host would read it (its JSON), with the timing fields that differ
 * from run to run replaced by a marker.
 */
export function wireFormWithoutTimings(result: unknown): unknown {
  return JSON.parse(
    JSON.stringify(result, (key, value: unknown) =>
      (key === "startTime" || key === "duration" || key === "requestTime") && typeof value === "number"
        ? "<time>"
        : value,
    ),
  ) as unknown;
}
