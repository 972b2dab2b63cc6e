import { relative, resolve } from "node:path";
import { AppLoadError } from "./app-load-error";
import { consoleLogger } from "./console-logger";
import type { FunctionsCoreState } from "./core-state";
import { findEntryFiles } from "./entry-points";
import { FunctionApp } from "./function-app";
import { installFunctionsCore } from "./functions-core";
import { runHooks, withReadOnly } from "./hook-context";
import { importFile } from "./import-file";
import type { FunctionAppLogger } from "./invocation-types";
import { dispatchLog } from "./log-dispatch";

export interface LoadFunctionAppOptions {
  /** Receives the app's logs; by default user logs and worker warnings go to the console. */
  logger?: FunctionAppLogger;
  /**
   * Loads one entry file; by default Node's `import()`. Swap it where `import()` is unavailable,
   * e.g. `require` inside jest, whose sandbox refuses dynamic imports.
   */
  importer?: (filePath: string) => Promise<unknown>;
}

/**
 * Starts an app as the Node worker does: makes `@azure/functions-core` available, loads every
 * file `main` names (which registers the functions as a side effect), runs the appStart hooks
 * and closes registration. One app per process, like the worker.
 */
export async function loadFunctionApp(
  appDir: string,
  options: LoadFunctionAppOptions = {},
): Promise<FunctionApp> {
  const directory = resolve(appDir);
  const entryFiles = await findEntryFiles(directory);
  const state = installFunctionsCore();
  if (state.registrationLocked) {
    throw new AppLoadError("An app is already loaded in this process: the host runs one app per process.");
  }
  state.logger = options.logger ?? consoleLogger;
  const importer = options.importer ?? importFile;
  for (const file of entryFiles) {
    await loadEntryFile(state, directory, file, importer);
  }
  await startApp(state, directory);
  await checkCapabilities(state);
  state.registrationLocked = true;
  return new FunctionApp(state, { directory, entryFiles });
}

async function loadEntryFile(
  state: FunctionsCoreState,
  directory: string,
  file: string,
  importer: (filePath: string) => Promise<unknown>,
): Promise<void> {
  const name = relative(directory, file);
  dispatchLog(state, "debug", "system", `Loading entry point file "${name}"`);
  state.currentEntryPoint = file;
  try {
    await importer(file);
  } catch (error) {
    throw new AppLoadError(`Failed to load ${name}: ${firstLine(error)}`, { cause: error });
  } finally {
    state.currentEntryPoint = undefined;
  }
}

async function startApp(state: FunctionsCoreState, directory: string): Promise<void> {
  const context = withReadOnly(
    { functionAppDirectory: directory },
    { hookData: state.appLevelOnlyHookData, appHookData: state.appHookData },
  );
  try {
    await runHooks(state.hooks.appStart, context);
  } catch (error) {
    throw new AppLoadError(`An appStart hook of the app failed: ${firstLine(error)}`, { cause: error });
  }
}

/**
 * The worker asks the programming model for its capabilities once the app has started, which
 * also freezes `app.setup()`. An app that turned on HTTP streaming would then wait for requests
 * on a proxy port that this host never calls, so it is refused here rather than hanging later.
 */
async function checkCapabilities(state: FunctionsCoreState): Promise<void> {
  const capabilities = await state.programmingModel?.getCapabilities?.({
    RawHttpBodyBytes: "true",
    UseNullableValueDictionaryForHttp: "true",
  });
  if (capabilities?.HttpUri) {
    throw new AppLoadError(
      "The app enables HTTP streaming (app.setup({ enableHttpStream: true })), which this host does not support: remove that setting.",
    );
  }
}

function firstLine(error: unknown): string {
  // Not instanceof: the app's errors may come from another realm (a vm context, jest's sandbox).
  const candidate = (error as { message?: unknown } | null)?.message;
  const message = typeof candidate === "string" ? candidate : String(error);
  return message.split("\n")[0] ?? message;
}
