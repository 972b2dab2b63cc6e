import type { FunctionsCoreState, RegisteredFunction } from "./core-state";
import type { RpcBindingInfo, RpcFunctionMetadata } from "./core-types";
import { runHooks, withReadOnly } from "./hook-context";
import { runInvocation } from "./invocation";
import { buildInvocationRequest } from "./invocation-request";
import { readInvocationResponse } from "./invocation-response";
import type { AppFunction, BindingInfo, InvocationInput, InvocationResult } from "./invocation-types";

/** Where a loaded app came from. */
export interface FunctionAppSource {
  /** The app folder, absolute. */
  directory: string;
  /** The entry files `main` named, absolute, in the order they were loaded. */
  entryFiles: readonly string[];
}

/**
 * A started app, as the worker sees it once startup is over: its functions can be listed and
 * invoked, and no function can be added any more. Made by `loadFunctionApp`.
 */
export class FunctionApp {
  readonly functions: readonly AppFunction[];
  readonly directory: string;
  readonly entryFiles: readonly string[];
  readonly #state: FunctionsCoreState;
  readonly #byName = new Map<string, RegisteredFunction>();

  constructor(state: FunctionsCoreState, source: FunctionAppSource) {
    this.#state = state;
    this.directory = source.directory;
    this.entryFiles = source.entryFiles;
    for (const registered of state.functions.values()) {
      this.#byName.set(registered.metadata.name.toLowerCase(), registered);
    }
    this.functions = [...this.#byName.values()].map(({ metadata }) => describeFunction(metadata));
  }

  /**
   * Runs one function through the app's programming model and hooks, with a fresh invocation id.
   * Rejects with the function's own error when it throws. Names are case-insensitive.
   */
  async invoke(name: string, input: InvocationInput): Promise<InvocationResult> {
    const registered = this.#byName.get(name.toLowerCase());
    if (!registered) {
      throw new Error(`The app has no function named "${name}".`);
    }
    const request = buildInvocationRequest(registered.metadata, input);
    const response = await runInvocation(this.#state, registered, request);
    return readInvocationResponse(registered.metadata, response);
  }

  /** Runs the app's appTerminate hooks, in order; call it once, when the host stops. */
  async runAppTerminateHooks(): Promise<void> {
    const context = withReadOnly(
      {},
      { hookData: this.#state.appLevelOnlyHookData, appHookData: this.#state.appHookData },
    );
    await runHooks(this.#state.hooks.appTerminate, context);
  }
}

function describeFunction(metadata: RpcFunctionMetadata): AppFunction {
  const bindings = Object.entries(metadata.bindings).map(([name, binding]) => describeBinding(name, binding));
  const trigger = bindings.find((binding) => /trigger$/i.test(binding.type));
  if (!trigger) {
    throw new Error(`Function "${metadata.name}" has no trigger binding.`);
  }
  return { name: metadata.name, trigger, bindings };
}

function describeBinding(name: string, binding: RpcBindingInfo): BindingInfo {
  return {
    ...binding,
    name,
    type: typeof binding.type === "string" ? binding.type : "",
    direction: binding.direction ?? "in",
  };
}
