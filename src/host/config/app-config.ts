/**
 * Everything `durable start` takes from an app folder, combined as Core Tools combines it:
 * host.json, then local.settings.json, whose `Values` yield to variables already in the
 * environment.
 */
import { resolve } from "node:path";
import { readHostJson, type HostJson } from "./host-json";
import { LOCAL_SETTINGS_FILE, readLocalSettings, type LocalSettings } from "./local-settings";

export type AppEnvironment = Record<string, string | undefined>;

/** The port of `func start` when neither local.settings.json nor the command line sets one. */
export const DEFAULT_HTTP_PORT = 7071;

export interface CorsSettings {
  /** Origins allowed to call the app from a browser; "*" allows any. Empty: no CORS headers. */
  allowedOrigins: string[];
  allowCredentials: boolean;
}

export interface AppConfig {
  /** Absolute. */
  appDir: string;
  hostJson: HostJson;
  localSettings: LocalSettings | undefined;
  /** The environment the app runs with: the given one plus the `Values` it did not already set. */
  env: AppEnvironment;
  /** `Host.LocalHttpPort`, else 7071; a `--port` on the command line overrides it. */
  port: number;
  routePrefix: string;
  cors: CorsSettings;
  /** Worth one line each in the host's log when it starts. */
  notes: string[];
}

/** Reads an app folder's configuration; `env` (default process.env) is read, never changed. */
export function readAppConfig(appDir: string, env: AppEnvironment = process.env): AppConfig {
  const absoluteAppDir = resolve(appDir);
  const hostJson = readHostJson(absoluteAppDir);
  const localSettings = readLocalSettings(absoluteAppDir);
  const merged = mergeAppSettings(localSettings?.values ?? {}, env);
  return {
    appDir: absoluteAppDir,
    hostJson,
    localSettings,
    env: merged.env,
    port: localSettings?.localHttpPort ?? DEFAULT_HTTP_PORT,
    routePrefix: hostJson.routePrefix,
    cors: {
      allowedOrigins: localSettings?.corsOrigins ?? [],
      allowCredentials: localSettings?.corsCredentials ?? false,
    },
    notes: [...(localSettings?.notes ?? []), ...merged.notes],
  };
}

/**
 * Adds app settings to a copy of `env`. A variable already set wins, so a shell can override
 * one setting for a single run, as it can with `func start`.
 */
export function mergeAppSettings(
  values: Record<string, string>,
  env: AppEnvironment,
): { env: AppEnvironment; notes: string[] } {
  const merged: AppEnvironment = { ...env };
  const notes: string[] = [];
  for (const [name, value] of Object.entries(values)) {
    const current = merged[name];
    if (current === undefined) {
      merged[name] = value;
    } else if (current !== value) {
      notes.push(`${LOCAL_SETTINGS_FILE}: '${name}' is skipped, the environment already sets it.`);
    }
  }
  return { env: merged, notes };
}

/**
 * Copies an app environment into `target` (default process.env), where the app's own code and
 * the libraries it loads read their settings. Variables missing from `env` are left alone.
 */
export function applyEnvironment(env: AppEnvironment, target: AppEnvironment = process.env): void {
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && target[name] !== value) target[name] = value;
  }
}
