/**
 * Loads a fixture app inside jest. Jest's sandbox refuses `import()` and answers `require` with
 * its own module registry, where Node's loader hooks never run; so the app is loaded with jest's
 * `require`, and each test file maps `@azure/functions-core` to our module with a virtual mock:
 *
 *   jest.mock("@azure/functions-core", () => jest.requireActual<CoreModule>(CORE).functionsCoreModule(),
 *     { virtual: true });
 *
 * The default `import()` path is covered in a child process (app-loader.test.ts).
 */
import { join } from "node:path";
import type { FunctionApp } from "../../../src/host/functions-worker/function-app";
import { loadFunctionApp } from "../../../src/host/functions-worker/app-loader";
import { resetFunctionsCore } from "../../../src/host/functions-worker/functions-core";
import type { FunctionAppLogger } from "../../../src/host/functions-worker/invocation-types";

export const FIXTURES = join(__dirname, "../fixtures");

export interface LoggedLine {
  level: string;
  functionName: string | undefined;
  message: string;
  category: string;
}

export interface LoadedFixture {
  app: FunctionApp;
  logs: LoggedLine[];
}

/** A fresh worker and a fresh copy of the app and its packages, as in a new worker process. */
export async function loadFixture(name: string): Promise<LoadedFixture> {
  resetFunctionsCore();
  jest.resetModules();
  const logs: LoggedLine[] = [];
  const logger: FunctionAppLogger = (level, functionName, message, category) =>
    logs.push({ level, functionName, message, category });
  const app = await loadFunctionApp(join(FIXTURES, name), {
    logger,
    importer: async (file) => jest.requireActual<object>(file),
  });
  return { app, logs };
}

/** The fixture module as the app loaded it, to read what its hooks recorded. */
export function fixtureModule<T extends object>(relativePath: string): T {
  return jest.requireActual<T>(join(FIXTURES, relativePath));
}
