/**
 * The Azure Storage provider's settings from host.json `extensions.durableTask`, with the
 * defaults and limits of Durable Functions on a dedicated plan. Names are matched without
 * regard to case, as .NET configuration binding matches them.
 */
import { availableParallelism } from "node:os";
import { DEFAULT_CONNECTION_NAME, readAppSetting } from "./connection";
import {
  DEFAULT_PARTITION_COUNT,
  MAX_PARTITION_COUNT,
  defaultTaskHubName,
  validateTaskHubName,
} from "./names";

export interface AzureStorageSettings {
  hubName: string;
  connectionName: string;
  partitionCount: number;
  controlQueueBatchSize: number;
  controlQueueBufferThreshold: number;
  controlQueueVisibilityTimeoutMs: number;
  workItemQueueVisibilityTimeoutMs: number;
  maxQueuePollingIntervalMs: number;
  maxConcurrentActivityFunctions: number;
  maxConcurrentOrchestratorFunctions: number;
  maxEntityOperationBatchSize: number;
  maxDequeueCount: number;
}

const SECOND_MS = 1000;
const MINUTE_MS = 60 * SECOND_MS;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

/** Azure hides a queue message for at most 7 days. */
const MAX_QUEUE_VISIBILITY_MS = 7 * DAY_MS;

const DURABLE_TASK_PATH = "extensions.durableTask";
const STORAGE_PROVIDER_PATH = `${DURABLE_TASK_PATH}.storageProvider`;

type AppSettings = Record<string, string | undefined>;
type JsonObject = Record<string, unknown>;

/**
 * Reads the provider's settings from a parsed host.json. Throws one Error that lists every
 * invalid setting by its host.json path.
 */
export function readAzureStorageSettings(
  hostJson: unknown,
  env: AppSettings = process.env,
): AzureStorageSettings {
  const problems: string[] = [];
  const root = section(hostJson, "host.json", problems);
  const extensions = section(member(root, "extensions", "host.json", problems), "extensions", problems);
  const durableTask = section(
    member(extensions, "durableTask", "extensions", problems),
    DURABLE_TASK_PATH,
    problems,
  );
  const storageProvider = section(
    member(durableTask, "storageProvider", DURABLE_TASK_PATH, problems),
    STORAGE_PROVIDER_PATH,
    problems,
  );
  const fromDurableTask = new SettingReader(durableTask, DURABLE_TASK_PATH, problems);
  const fromStorageProvider = new SettingReader(storageProvider, STORAGE_PROVIDER_PATH, problems);
  const perCore = 10 * availableParallelism();

  const settings: AzureStorageSettings = {
    hubName: readHubName(fromDurableTask, env, problems),
    connectionName: readConnectionName(fromStorageProvider),
    partitionCount: fromStorageProvider.integer(
      "partitionCount",
      DEFAULT_PARTITION_COUNT,
      1,
      MAX_PARTITION_COUNT,
    ),
    controlQueueBatchSize: fromStorageProvider.integer("controlQueueBatchSize", 32, 1, 32),
    controlQueueBufferThreshold: fromStorageProvider.integer("controlQueueBufferThreshold", 256, 1, 1000),
    controlQueueVisibilityTimeoutMs: fromStorageProvider.timeSpan(
      "controlQueueVisibilityTimeout",
      5 * MINUTE_MS,
      MINUTE_MS,
      HOUR_MS,
    ),
    workItemQueueVisibilityTimeoutMs: fromStorageProvider.timeSpan(
      "workItemQueueVisibilityTimeout",
      5 * MINUTE_MS,
      SECOND_MS,
      MAX_QUEUE_VISIBILITY_MS,
    ),
    maxQueuePollingIntervalMs: fromStorageProvider.timeSpan(
      "maxQueuePollingInterval",
      30 * SECOND_MS,
      1,
      DAY_MS,
    ),
    // Our own: DTFx has no poison queue and retries a bad message forever.
    maxDequeueCount: fromStorageProvider.integer("poisonMessageThreshold", 20, 1),
    maxConcurrentActivityFunctions: fromDurableTask.integer("maxConcurrentActivityFunctions", perCore, 1),
    maxConcurrentOrchestratorFunctions: fromDurableTask.integer(
      "maxConcurrentOrchestratorFunctions",
      perCore,
      1,
    ),
    // The extension's default outside the Consumption plan, where it is 50.
    maxEntityOperationBatchSize: fromDurableTask.integer("maxEntityOperationBatchSize", 5000, 1),
  };
  if (problems.length > 0) {
    throw new Error(`Invalid host.json settings:\n${problems.map((problem) => `  - ${problem}`).join("\n")}`);
  }
  return settings;
}

function readHubName(reader: SettingReader, env: AppSettings, problems: string[]): string {
  const path = `${DURABLE_TASK_PATH}.hubName`;
  const configured = reader.string("hubName");
  if (configured === undefined) return defaultTaskHubName(env);
  const unresolved: string[] = [];
  const name = configured.replace(/%([^%]+)%/g, (_, settingName: string) => {
    const value = readAppSetting(env, settingName);
    if (value === undefined) unresolved.push(settingName);
    return value ?? "";
  });
  if (unresolved.length > 0) {
    problems.push(`${path} refers to app setting(s) ${unresolved.join(", ")}, which are not set`);
    return configured;
  }
  try {
    validateTaskHubName(name);
  } catch (error) {
    problems.push(`${path}: ${(error as Error).message}`);
  }
  return name;
}

/** `connectionName` is the v3 name, `connectionStringName` the v2 one; the newer one wins. */
function readConnectionName(reader: SettingReader): string {
  return reader.string("connectionName") ?? reader.string("connectionStringName") ?? DEFAULT_CONNECTION_NAME;
}

/** Reads typed settings from one host.json object, recording problems instead of throwing. */
class SettingReader {
  constructor(
    private readonly object: JsonObject | undefined,
    private readonly path: string,
    private readonly problems: string[],
  ) {}

  /** A non-blank string; undefined when absent or null. */
  string(name: string): string | undefined {
    const value = this.value(name);
    if (value === undefined || value === null) return undefined;
    if (typeof value !== "string" || value.trim() === "") {
      this.problem(name, "must be a non-empty string", value);
      return undefined;
    }
    return value.trim();
  }

  /** Accepts numbers and numeric strings, as the .NET binder converts both. */
  integer(name: string, fallback: number, min: number, max?: number): number {
    const value = this.value(name);
    if (value === undefined || value === null) return fallback;
    const parsed =
      typeof value === "number" ? value : typeof value === "string" ? parseIntegerText(value) : NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || (max !== undefined && parsed > max)) {
      const range = max === undefined ? `of at least ${min}` : `from ${min} to ${max}`;
      this.problem(name, `must be an integer ${range}`, value);
      return fallback;
    }
    return parsed;
  }

  /** A .NET TimeSpan string, returned in milliseconds. */
  timeSpan(name: string, fallbackMs: number, minMs: number, maxMs: number): number {
    const value = this.value(name);
    if (value === undefined || value === null) return fallbackMs;
    const ms = typeof value === "string" ? parseTimeSpanMs(value) : undefined;
    if (ms === undefined) {
      this.problem(
        name,
        'must be a TimeSpan such as "00:05:00" (hh:mm:ss, d.hh:mm:ss or hh:mm:ss.fff)',
        value,
      );
      return fallbackMs;
    }
    if (ms < minMs || ms > maxMs) {
      this.problem(name, `must be from ${formatTimeSpan(minMs)} to ${formatTimeSpan(maxMs)}`, value);
      return fallbackMs;
    }
    return ms;
  }

  private value(name: string): unknown {
    return this.object === undefined ? undefined : member(this.object, name, this.path, this.problems);
  }

  private problem(name: string, rule: string, got: unknown): void {
    this.problems.push(`${this.path}.${name} ${rule}, got ${JSON.stringify(got)}`);
  }
}

function parseIntegerText(text: string): number {
  return /^\s*[-+]?\d+\s*$/.test(text) ? Number(text) : NaN;
}

/** Reads `name` from `object` case-insensitively; two spellings of one name is an error. */
function member(object: JsonObject | undefined, name: string, path: string, problems: string[]): unknown {
  if (object === undefined) return undefined;
  const wanted = name.toLowerCase();
  const keys = Object.keys(object).filter((key) => key.toLowerCase() === wanted);
  if (keys.length > 1) {
    problems.push(`${path} sets ${keys.map((key) => JSON.stringify(key)).join(" and ")}; keep one`);
  }
  return keys.length === 0 ? undefined : object[keys[0]];
}

/** An object section, or undefined when absent; anything else is a problem. */
function section(value: unknown, path: string, problems: string[]): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === "object" && !Array.isArray(value)) return value as JsonObject;
  problems.push(`${path} must be an object, got ${JSON.stringify(value)}`);
  return undefined;
}

const TIME_SPAN = /^\s*(-)?(?:(\d+)\.)?(\d{1,2}):(\d{1,2})(?::(\d{1,2})(?:\.(\d{1,7}))?)?\s*$/;

/**
 * Parses .NET's invariant TimeSpan forms `[-][d.]hh:mm[:ss[.fffffff]]` to milliseconds, or
 * undefined. A bare number is refused even though .NET reads it as days: "30" in host.json is
 * far more likely meant as seconds, and a silent 30 days would be a trap.
 */
export function parseTimeSpanMs(text: string): number | undefined {
  const match = TIME_SPAN.exec(text);
  if (match === null) return undefined;
  const [, sign, days, hours, minutes, seconds, fraction] = match;
  const h = Number(hours);
  const m = Number(minutes);
  const s = seconds === undefined ? 0 : Number(seconds);
  if (h > 23 || m > 59 || s > 59) return undefined;
  const fractionMs = fraction === undefined ? 0 : Number(`0.${fraction}`) * SECOND_MS;
  const ms =
    (days === undefined ? 0 : Number(days)) * DAY_MS +
    h * HOUR_MS +
    m * MINUTE_MS +
    s * SECOND_MS +
    fractionMs;
  return Math.round(sign === "-" ? -ms : ms);
}

function formatTimeSpan(ms: number): string {
  const days = Math.floor(ms / DAY_MS);
  const rest = ms - days * DAY_MS;
  const pad = (n: number): string => String(n).padStart(2, "0");
  const hms = `${pad(Math.floor(rest / HOUR_MS))}:${pad(Math.floor((rest % HOUR_MS) / MINUTE_MS))}:${pad(
    Math.floor((rest % MINUTE_MS) / SECOND_MS),
  )}`;
  const millis = rest % SECOND_MS;
  return `${days > 0 ? `${days}.` : ""}${hms}${millis > 0 ? `.${String(millis).padStart(3, "0")}` : ""}`;
}
