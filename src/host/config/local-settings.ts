/**
 * local.settings.json, read as Azure Functions Core Tools reads it: app settings in `Values`,
 * the local host's port and CORS policy in `Host`. The file is optional.
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

export const LOCAL_SETTINGS_FILE = "local.settings.json";

export interface LocalSettings {
  /** The file it was read from. */
  path: string;
  /** `Values`: the app settings, which the app sees as environment variables. */
  values: Record<string, string>;
  /** `Host.LocalHttpPort`. */
  localHttpPort: number | undefined;
  /** `Host.CORS` split at commas; "*" allows any origin. */
  corsOrigins: string[];
  /** `Host.CORSCredentials`. */
  corsCredentials: boolean;
  /** What the file holds that `durable start` does not use, worth telling the user once. */
  notes: string[];
}

/** Reads `<appDir>/local.settings.json`; undefined when the app has none. */
export function readLocalSettings(appDir: string): LocalSettings | undefined {
  const path = join(appDir, LOCAL_SETTINGS_FILE);
  const document = readJsonFile(path);
  return document === undefined ? undefined : parseLocalSettings(document, path);
}

/** Validates a parsed local.settings.json; every problem is listed in one line. */
export function parseLocalSettings(document: unknown, path: string): LocalSettings {
  if (!isJsonObject(document))
    throw new Error(`${path}: must hold a JSON object, not ${describeJsonValue(document)}.`);
  const isEncrypted = memberIgnoringCase(document, "IsEncrypted");
  if (isEncrypted === true) {
    // Core Tools encrypts with the Windows data protection API, which only it can undo.
    throw new Error(
      `${path} is encrypted ("IsEncrypted": true) and cannot be read here: ` +
        `run 'func settings decrypt' in the app folder, then start again.`,
    );
  }
  const problems: string[] = [];
  if (isEncrypted !== undefined && isEncrypted !== null && isEncrypted !== false) {
    problems.push(`'IsEncrypted' must be true or false, not ${describeJsonValue(isEncrypted)}`);
  }
  const values = readValues(
    optionalSection(memberIgnoringCase(document, "Values"), "Values", problems),
    problems,
  );
  const host = optionalSection(memberIgnoringCase(document, "Host"), "Host", problems);
  const localHttpPort = readPort(host && memberIgnoringCase(host, "LocalHttpPort"), problems);
  const corsOrigins = readOrigins(host && memberIgnoringCase(host, "CORS"), problems);
  const corsCredentials = readBoolean(
    host && memberIgnoringCase(host, "CORSCredentials"),
    "Host.CORSCredentials",
    problems,
  );
  if (corsCredentials && corsOrigins.includes("*")) {
    // Browsers refuse credentials with a wildcard origin, and ASP.NET (so Core Tools) refuses the policy.
    problems.push(
      `'Host.CORSCredentials' cannot be true while 'Host.CORS' allows "*": list the origins instead`,
    );
  }
  if (problems.length > 0) throw new Error(`${path}: ${problems.join("; ")}.`);
  return {
    path,
    values,
    localHttpPort,
    corsOrigins,
    corsCredentials,
    notes: connectionStringsNotes(document),
  };
}

function readValues(values: JsonObject | undefined, problems: string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(values ?? {})) {
    if (typeof value === "string") {
      result[name] = value;
    } else {
      // Environment variables are strings; quoting it ourselves could turn true into "True" or "true".
      const quoted =
        isJsonObject(value) || Array.isArray(value) || value === null ? "" : ` (write "${String(value)}")`;
      problems.push(`'Values.${name}' must be a string, not ${describeJsonValue(value)}${quoted}`);
    }
  }
  return result;
}

function readPort(value: unknown, problems: string[]): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65535) return value;
  problems.push(
    `'Host.LocalHttpPort' must be a port number from 1 to 65535, not ${describeJsonValue(value)}`,
  );
  return undefined;
}

function readOrigins(value: unknown, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (typeof value !== "string") {
    problems.push(`'Host.CORS' must be a comma-separated string of origins, not ${describeJsonValue(value)}`);
    return [];
  }
  return value
    .split(",")
    .map((origin) => origin.trim())
    .filter((origin) => origin !== "");
}

function readBoolean(value: unknown, name: string, problems: string[]): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === "boolean") return value;
  problems.push(`'${name}' must be true or false, not ${describeJsonValue(value)}`);
  return false;
}

function connectionStringsNotes(document: JsonObject): string[] {
  const connectionStrings = memberIgnoringCase(document, "ConnectionStrings");
  if (!isJsonObject(connectionStrings) || Object.keys(connectionStrings).length === 0) return [];
  return [
    `${LOCAL_SETTINGS_FILE}: 'ConnectionStrings' is ignored (it serves .NET apps); ` +
      `put connections in 'Values', where Functions bindings and Durable Functions look for them.`,
  ];
}
