/** The part of the Azure Functions Node.js worker the host needs: load an app, invoke it. */
export { AppLoadError } from "./app-load-error";
export { loadFunctionApp, type LoadFunctionAppOptions } from "./app-loader";
export { consoleLogger } from "./console-logger";
export type { FunctionsCoreState, RegisteredFunction } from "./core-state";
export { FunctionApp, type FunctionAppSource } from "./function-app";
export {
  FUNCTIONS_CORE_MODULE_ID,
  functionsCoreModule,
  installFunctionsCore,
  resetFunctionsCore,
  type FunctionsCoreModule,
} from "./functions-core";
export type * from "./invocation-types";
