/**
 * A stand-in for the Functions worker's `@azure/functions-core` module that records every
 * function @azure/functions registers. Use it with a virtual jest mock:
 *
 *   jest.mock("@azure/functions-core", () => jest.requireActual<CaptureModule>(CAPTURE_MODULE)
 *     .createFakeFunctionsCore(), { virtual: true });
 *
 * The records live on globalThis so that module copies loaded by `jest.isolateModules` share them.
 */

/** What @azure/functions hands the worker for one function (RpcFunctionMetadata subset). */
export interface CapturedMetadata {
  name: string;
  bindings: Record<string, Record<string, unknown>>;
  retryOptions?: unknown;
}

export interface CapturedFunction {
  metadata: CapturedMetadata;
  callback: (...args: unknown[]) => unknown;
}

const STORE = Symbol.for("durable-ts.test.functions-core-captures");

type StoreHolder = { [STORE]?: CapturedFunction[] };

/** Every function registered since the last reset, in order. */
export function capturedFunctions(): CapturedFunction[] {
  const holder = globalThis as StoreHolder;
  holder[STORE] ??= [];
  return holder[STORE];
}

export function resetCapturedFunctions(): void {
  capturedFunctions().length = 0;
}

const disposable = { dispose(): void {} };

export function createFakeFunctionsCore(): Record<string, unknown> {
  return {
    version: "test",
    hostVersion: "test",
    registerFunction(metadata: CapturedMetadata, callback: (...args: unknown[]) => unknown) {
      capturedFunctions().push({ metadata, callback });
      return disposable;
    },
    setProgrammingModel(): void {},
    getProgrammingModel(): undefined {
      return undefined;
    },
    registerHook() {
      return disposable;
    },
    log(): void {},
  };
}
