/**
 * host.json, read as the Functions host reads it. Only what `durable start` acts on is checked:
 * `logging` and `extensionBundle` are accepted and ignored (the bundle is still declared so the
 * same app deploys to Azure), and unknown keys are fine, as they are for the host.
 */
import { join } from "node:path";
import {
  describeJsonValue,
  isJsonObject,
  memberIgnoringCase,
  optionalSection,
  type JsonObject,
} from "./json-object";
import { readJsonFile } from "./read-json-file";

export const HOST_JSON_FILE = "host.json";
export const DEFAULT_ROUTE_PREFIX = "api";

export interface HostJson {
  /** The file it was read from. */
  path: string;
  version: "2.0";
  /** `extensions.http.routePrefix` without surrounding slashes; "" serves HTTP functions at the root. */
  routePrefix: string;
  /** `extensions.durableTask` as written: the storage provider reads its own settings from it. */
  durableTask: JsonObject | undefined;
  /** The whole document, for readers that take host.json whole (`openConfiguredTaskHub`). */
  document: JsonObject;
}

/** Reads `<appDir>/host.json`; a Functions app cannot run without one. */
export function readHostJson(appDir: string): HostJson {
  const path = join(appDir, HOST_JSON_FILE);
  const document = readJsonFile(path);
  if (document === undefined) {
    throw new Error(
      `No host.json in ${appDir}: this is not an Azure Functions app folder ` +
        `(an app has a host.json with at least {"version": "2.0"}).`,
    );
  }
  return parseHostJson(document, path);
}

/** Validates a parsed host.json; every problem is listed in one line. */
export function parseHostJson(document: unknown, path: string): HostJson {
  if (!isJsonObject(document))
    throw new Error(`${path}: must hold a JSON object, not ${describeJsonValue(document)}.`);
  const problems: string[] = [];
  checkVersion(document, problems);
  const extensions = optionalSection(memberIgnoringCase(document, "extensions"), "extensions", problems);
  const http = optionalSection(
    extensions && memberIgnoringCase(extensions, "http"),
    "extensions.http",
    problems,
  );
  const durableTask = optionalSection(
    extensions && memberIgnoringCase(extensions, "durableTask"),
    "extensions.durableTask",
    problems,
  );
  const routePrefix = readRoutePrefix(http && memberIgnoringCase(http, "routePrefix"), problems);
  if (problems.length > 0) throw new Error(`${path}: ${problems.join("; ")}.`);
  return { path, version: "2.0", routePrefix, durableTask, document };
}

function checkVersion(document: JsonObject, problems: string[]): void {
  // The host treats an empty host.json as {"version": "2.0"}.
  if (Object.keys(document).length === 0) return;
  // Looked up by its exact name: the host reads 'version' from the JSON itself, not through
  // case-insensitive configuration binding.
  const version = document.version;
  if (version === undefined || version === null || version === "") {
    problems.push(`the required 'version' property is missing (add "version": "2.0")`);
  } else if (typeof version !== "string") {
    problems.push(`'version' must be the string "2.0", not ${describeJsonValue(version)}`);
  } else if (version !== "2.0") {
    problems.push(
      `'${version}' is an invalid value for 'version': it must be "2.0" ` +
        `(the schema of host.json, not the version of the Functions runtime)`,
    );
  }
}

function readRoutePrefix(value: unknown, problems: string[]): string {
  if (value === undefined || value === null) return DEFAULT_ROUTE_PREFIX;
  if (typeof value !== "string") {
    problems.push(`'extensions.http.routePrefix' must be a string, not ${describeJsonValue(value)}`);
    return DEFAULT_ROUTE_PREFIX;
  }
  // "/api/" and "api" mean the same prefix; trimming keeps routes free of double slashes.
  return value.trim().replace(/^\/+|\/+$/g, "");
}
