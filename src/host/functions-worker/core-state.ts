import type {
  FunctionCallback,
  HookCallback,
  HookData,
  HookName,
  ProgrammingModel,
  RpcFunctionMetadata,
} from "./core-types";
import type { FunctionAppLogger } from "./invocation-types";

export interface RegisteredFunction {
  metadata: RpcFunctionMetadata;
  callback: FunctionCallback;
}

/** What the worker knows about the app: filled while the app loads, read at each invocation. */
export interface FunctionsCoreState {
  /** By function id (the name unless the library gives another id). */
  functions: Map<string, RegisteredFunction>;
  /** Set by @azure/functions the first time the app registers a function. */
  programmingModel: ProgrammingModel | undefined;
  hooks: Record<HookName, HookCallback[]>;
  /** Shared by every hook of the app, whatever its scope. */
  appHookData: HookData;
  /** Shared by the app-level hooks only (appStart, appTerminate). */
  appLevelOnlyHookData: HookData;
  /** Set once the app has started: from then on functions can be neither added nor removed. */
  registrationLocked: boolean;
  /** The file being loaded, recorded as each function's script file. */
  currentEntryPoint: string | undefined;
  logger: FunctionAppLogger | undefined;
}

export function createCoreState(): FunctionsCoreState {
  const state = {} as FunctionsCoreState;
  clearCoreState(state);
  return state;
}

/** Forgets the app but keeps the object, which the installed module holds on to. */
export function clearCoreState(state: FunctionsCoreState): void {
  state.functions = new Map();
  state.programmingModel = undefined;
  state.hooks = { appStart: [], appTerminate: [], preInvocation: [], postInvocation: [], log: [] };
  state.appHookData = {};
  state.appLevelOnlyHookData = {};
  state.registrationLocked = false;
  state.currentEntryPoint = undefined;
  state.logger = undefined;
}
