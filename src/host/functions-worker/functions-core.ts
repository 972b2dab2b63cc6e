import Module from "node:module";
import { basename, dirname } from "node:path";
import { clearCoreState, createCoreState, type FunctionsCoreState } from "./core-state";
import type {
  FunctionCallback,
  FunctionMetadata,
  HookCallback,
  HookName,
  ProgrammingModel,
  RpcFunctionMetadata,
  RpcLogCategory,
  RpcLogLevel,
} from "./core-types";
import { Disposable } from "./disposable";
import { dispatchLog } from "./log-dispatch";

/** The id @azure/functions requires; the real worker provides it as a built-in module. */
export const FUNCTIONS_CORE_MODULE_ID = "@azure/functions-core";

/**
 * Reported to apps that ask. The library reads neither; they are the worker and host lines whose
 * core API (function registration, hooks, `log`) this module implements.
 */
const WORKER_VERSION = "3.12.0";
const HOST_VERSION = "4.0.0";

const HOOK_NAMES: readonly HookName[] = [
  "appStart",
  "appTerminate",
  "preInvocation",
  "postInvocation",
  "log",
];

/** What `require("@azure/functions-core")` returns inside an app loaded by our host. */
export interface FunctionsCoreModule {
  readonly version: string;
  readonly hostVersion: string;
  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): Disposable;
  registerHook(hookName: string, callback: HookCallback): Disposable;
  setProgrammingModel(programmingModel: ProgrammingModel): void;
  getProgrammingModel(): ProgrammingModel | undefined;
  log(level: RpcLogLevel, category: RpcLogCategory, message: string): void;
  readonly Disposable: typeof Disposable;
}

interface InstalledCore {
  state: FunctionsCoreState;
  module: FunctionsCoreModule;
}

// One per process (per realm in jest): two copies of this file, or a second host start, must
// share the registrations the app's single copy of @azure/functions made.
const INSTALLED = Symbol.for("durable-ts.functions-worker.core");
type Holder = { [INSTALLED]?: InstalledCore };

/**
 * Makes `@azure/functions-core` resolvable from every CommonJS module of the process and returns
 * the state it fills. Idempotent. Must run before the app loads @azure/functions, which looks the
 * module up once and falls back to a "test mode" that registers nothing.
 */
export function installFunctionsCore(): FunctionsCoreState {
  return installedCore().state;
}

/** The module object itself, e.g. for a jest virtual mock where Node's loader is not used. */
export function functionsCoreModule(): FunctionsCoreModule {
  return installedCore().module;
}

/** Forgets the loaded app (functions, hooks, model, hook data) so tests can load another. */
export function resetFunctionsCore(): void {
  const installed = (globalThis as Holder)[INSTALLED];
  if (installed) {
    clearCoreState(installed.state);
  }
}

function installedCore(): InstalledCore {
  const holder = globalThis as Holder;
  let installed = holder[INSTALLED];
  if (!installed) {
    const state = createCoreState();
    installed = { state, module: createCoreModule(state) };
    holder[INSTALLED] = installed;
    interceptRequire(installed.module);
  }
  return installed;
}

function createCoreModule(state: FunctionsCoreState): FunctionsCoreModule {
  return {
    version: WORKER_VERSION,
    hostVersion: HOST_VERSION,
    registerFunction: (metadata, callback) => registerFunction(state, metadata, callback),
    registerHook: (hookName, callback) => registerHook(state, hookName, callback),
    setProgrammingModel: (programmingModel) => {
      state.programmingModel = programmingModel;
      dispatchLog(
        state,
        "debug",
        "system",
        `Setting Node.js programming model to "${programmingModel.name}" version "${programmingModel.version}"`,
      );
    },
    getProgrammingModel: () => state.programmingModel,
    log: (level, category, message) => dispatchLog(state, level, category, message),
    Disposable,
  };
}

function registerFunction(
  state: FunctionsCoreState,
  metadata: FunctionMetadata,
  callback: FunctionCallback,
): Disposable {
  if (state.registrationLocked) {
    throw new Error("A function can only be registered during app startup.");
  }
  const functionId = metadata.functionId || metadata.name;
  const name = metadata.name || functionId;
  if (typeof callback !== "function") {
    throw new Error(`Function "${name}" has no handler: pass one in its options ({ handler }).`);
  }
  // Function names are case-insensitive in the Functions host, and so are our lookups.
  const taken = [...state.functions.values()].some(
    (registered) =>
      registered.metadata.functionId === functionId ||
      registered.metadata.name.toLowerCase() === name.toLowerCase(),
  );
  if (taken) {
    throw new Error(`A function named "${name}" has already been registered: function names must be unique.`);
  }
  const entryPoint = state.currentEntryPoint;
  const rpcMetadata: RpcFunctionMetadata = {
    ...metadata,
    name,
    functionId,
    // The host reads the bindings as these JSON lines (function.json's shape); kept for parity.
    rawBindings: Object.entries(metadata.bindings).map(([bindingName, binding]) =>
      JSON.stringify({ ...binding, name: bindingName }),
    ),
    scriptFile: entryPoint ? basename(entryPoint) : "unknown",
    ...(entryPoint ? { directory: dirname(entryPoint) } : {}),
  };
  state.functions.set(functionId, { metadata: rpcMetadata, callback });
  return new Disposable(() => {
    if (state.registrationLocked) {
      throw new Error("A function can only be disposed during app startup.");
    }
    state.functions.delete(functionId);
  });
}

function registerHook(state: FunctionsCoreState, hookName: string, callback: HookCallback): Disposable {
  if (!(HOOK_NAMES as readonly string[]).includes(hookName)) {
    // The library tells an old worker from a bad call by this error's name and flag.
    throw Object.assign(new RangeError(`Unrecognized hook "${hookName}"`), {
      isAzureFunctionsSystemError: true,
    });
  }
  const callbacks = state.hooks[hookName as HookName];
  callbacks.push(callback);
  return new Disposable(() => {
    const index = callbacks.indexOf(callback);
    if (index >= 0) {
      callbacks.splice(index, 1);
    }
  });
}

interface ModuleLoader {
  _resolveFilename(request: string, ...rest: unknown[]): string;
  _load(request: string, ...rest: unknown[]): unknown;
}

/**
 * Answers `require("@azure/functions-core")` from any CommonJS module, including the app's own
 * copy of @azure/functions in its node_modules; ES modules reach it through that CommonJS
 * package. Resolution is hooked too so that tools probing with `require.resolve` find it.
 */
function interceptRequire(coreModule: FunctionsCoreModule): void {
  const loader = Module as unknown as ModuleLoader;
  const resolveFilename = loader._resolveFilename;
  const load = loader._load;
  loader._resolveFilename = function (this: unknown, request: string, ...rest: unknown[]): string {
    return request === FUNCTIONS_CORE_MODULE_ID ? request : resolveFilename.call(this, request, ...rest);
  };
  loader._load = function (this: unknown, request: string, ...rest: unknown[]): unknown {
    return request === FUNCTIONS_CORE_MODULE_ID ? coreModule : load.call(this, request, ...rest);
  };
}
