/**
 * The command line of `durable`, parsed into what to do. Each command accepts only its own
 * options, and every mistake is reported as one line that points at `durable --help`.
 */
import { resolve } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";

export const HELP_TEXT = `Usage: durable <command> [options]

Commands:
  start                  Run the function app in the current folder as a local Functions host,
                         like 'func start': HTTP functions, orchestrations, activities, entities.
  run <orchestrator>     Load the app, run one orchestration on an in-memory task hub and
                         print its final status.
  storage status         Say whether the local storage (the Azurite that 'durable start' runs
                         for UseDevelopmentStorage=true) is running, where, and its data folder.
  storage start          Start the local storage if it is not running.
  storage stop           Stop the local storage; its data stays in its folder.

Options of start:
  -p, --port <port>      HTTP port (default: Host.LocalHttpPort of local.settings.json, else 7071).
  --in-memory-storage    Keep the task hub in memory instead of the storage account of the app's
                         connection; nothing survives a restart.
  --host <address>       The address to listen on (default 127.0.0.1, this machine only).
                         Reachable from elsewhere, functions that are not anonymous and the
                         management API require the key the host prints.
  --verbose              Log in detail, as 'func start --verbose' does.

Options of run:
  --input <json>         Input of the orchestration.
  --timeout <seconds>    How long to wait for the orchestration (default 60).

Options of both:
  --app <folder>         The app folder (default: the current folder).

  -h, --help             Show this help.
  -v, --version          Show the version.

The local storage keeps its data in ~/.durable-ts/storage (DURABLE_STORAGE_DIR moves it) and
serves 127.0.0.1:10000-10002 (DURABLE_STORAGE_PORTS=<blob>,<queue>,<table> changes them).`;

export interface StartCommand {
  command: "start";
  /** Absolute. */
  appDir: string;
  /** Overrides the port of local.settings.json when given. */
  port?: number;
  /** The address to listen on; default 127.0.0.1. */
  host?: string;
  inMemoryStorage: boolean;
  verbose: boolean;
}

export interface RunCommand {
  command: "run";
  /** Absolute. */
  appDir: string;
  orchestrator: string;
  /** The input as JSON text, checked to parse. */
  input?: string;
  timeoutMs: number;
}

export interface StorageCommand {
  command: "storage";
  action: StorageAction;
}

export type StorageAction = "start" | "stop" | "status";

export interface HelpCommand {
  command: "help";
  /** False when `durable` ran with no command at all, which should print help and fail. */
  requested: boolean;
}

export interface VersionCommand {
  command: "version";
}

export type CliCommand = StartCommand | RunCommand | StorageCommand | HelpCommand | VersionCommand;

const USAGE_HINT = "Run 'durable --help' for usage.";
const DEFAULT_RUN_TIMEOUT_SECONDS = 60;

const HELP_OPTION = { help: { type: "boolean", short: "h" } } as const;
const GLOBAL_OPTIONS = { ...HELP_OPTION, version: { type: "boolean", short: "v" } } as const;
const START_OPTIONS = {
  ...HELP_OPTION,
  app: { type: "string" },
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "in-memory-storage": { type: "boolean" },
  verbose: { type: "boolean" },
} as const;
const RUN_OPTIONS = {
  ...HELP_OPTION,
  app: { type: "string" },
  input: { type: "string" },
  timeout: { type: "string" },
} as const;
const COMMANDS = ["start", "run", "storage"];
const STORAGE_ACTIONS: readonly StorageAction[] = ["start", "stop", "status"];

/** Parses the arguments after `durable`; relative folders are resolved against `cwd`. */
export function parseCliArguments(argv: readonly string[], cwd: string = process.cwd()): CliCommand {
  const [command, ...rest] = argv;
  if (command === undefined) return { command: "help", requested: false };
  if (command.startsWith("-")) return parseGlobal(argv);
  if (command === "start") return parseStart(rest, cwd);
  if (command === "run") return parseRun(rest, cwd);
  if (command === "storage") return parseStorage(rest);
  throw new Error(`Unknown command '${command}'${suggestion(command, COMMANDS)}. ${USAGE_HINT}`);
}

function parseGlobal(args: readonly string[]): CliCommand {
  const { values, positionals } = parse(args, GLOBAL_OPTIONS);
  if (values.help) return { command: "help", requested: true };
  if (values.version) return { command: "version" };
  // Only reachable through `durable -- <command>`, which names no command we could trust.
  throw new Error(`Unexpected argument '${positionals[0] ?? "--"}'. ${USAGE_HINT}`);
}

function parseStart(args: readonly string[], cwd: string): CliCommand {
  const { values, positionals } = parse(args, START_OPTIONS);
  if (values.help) return { command: "help", requested: true };
  rejectPositionals(positionals);
  const start: StartCommand = {
    command: "start",
    appDir: resolve(cwd, values.app ?? "."),
    inMemoryStorage: values["in-memory-storage"] ?? false,
    verbose: values.verbose ?? false,
  };
  if (values.port !== undefined) start.port = parsePort(values.port);
  if (values.host !== undefined) start.host = values.host;
  return start;
}

function parseRun(args: readonly string[], cwd: string): CliCommand {
  const { values, positionals } = parse(args, RUN_OPTIONS);
  if (values.help) return { command: "help", requested: true };
  const [orchestrator, ...extra] = positionals;
  if (orchestrator === undefined) {
    throw new Error(
      `'durable run' needs the name of an orchestrator function, as in 'durable run HelloSequence'.`,
    );
  }
  rejectPositionals(extra);
  const run: RunCommand = {
    command: "run",
    appDir: resolve(cwd, values.app ?? "."),
    orchestrator,
    timeoutMs: parseTimeoutSeconds(values.timeout) * 1000,
  };
  if (values.input !== undefined) run.input = checkJson(values.input);
  return run;
}

function parseStorage(args: readonly string[]): CliCommand {
  const { values, positionals } = parse(args, HELP_OPTION);
  if (values.help) return { command: "help", requested: true };
  const [action, ...extra] = positionals;
  const known = STORAGE_ACTIONS.find((candidate) => candidate === action);
  if (known === undefined) {
    const given = action === undefined ? "" : `, not '${action}'${suggestion(action, [...STORAGE_ACTIONS])}`;
    throw new Error(`'durable storage' needs one of ${STORAGE_ACTIONS.join(", ")}${given}. ${USAGE_HINT}`);
  }
  rejectPositionals(extra);
  return { command: "storage", action: known };
}

type Options = NonNullable<ParseArgsConfig["options"]>;

/** util.parseArgs with its multi-line, positional-centred messages turned into one clear line. */
function parse<T extends Options>(args: readonly string[], options: T) {
  try {
    return parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new Error(explainParseError(error, Object.keys(options)), { cause: error });
  }
}

function explainParseError(error: unknown, known: string[]): string {
  const { code, message } = error as { code?: string; message?: string };
  const text = message ?? String(error);
  const option = /'(-[^' ,]*)/.exec(text)?.[1] ?? "";
  const longOption = /--[\w-]+/.exec(text)?.[0] ?? option;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const candidates = known.map((name) => `--${name}`);
    return `Unknown option '${option}'${suggestion(option, candidates)}. ${USAGE_HINT}`;
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    if (text.includes("does not take an argument"))
      return `Option '${longOption}' does not take a value. ${USAGE_HINT}`;
    if (text.includes("ambiguous")) {
      return `Option '${longOption}' needs a value; to give one that starts with '-', write ${longOption}=<value>.`;
    }
    return `Option '${longOption}' needs a value. ${USAGE_HINT}`;
  }
  return `${text.split("\n")[0]} ${USAGE_HINT}`;
}

function rejectPositionals(positionals: string[]): void {
  if (positionals.length > 0) throw new Error(`Unexpected argument '${positionals[0]}'. ${USAGE_HINT}`);
}

function parsePort(text: string): number {
  const port = /^\d+$/.test(text) ? Number(text) : NaN;
  if (port >= 1 && port <= 65535) return port;
  throw new Error(`--port must be a port number from 1 to 65535, not '${text}'.`);
}

function parseTimeoutSeconds(text: string | undefined): number {
  if (text === undefined) return DEFAULT_RUN_TIMEOUT_SECONDS;
  const seconds = /^\d+(\.\d+)?$/.test(text) ? Number(text) : NaN;
  if (seconds > 0) return seconds;
  throw new Error(`--timeout must be a number of seconds greater than 0, not '${text}'.`);
}

function checkJson(text: string): string {
  try {
    JSON.parse(text);
  } catch {
    throw new Error(
      `--input is not valid JSON: ${JSON.stringify(text)} (quote strings twice, as in --input '"Tokyo"').`,
    );
  }
  return text;
}

/** " (did you mean 'x'?)" for a near miss, so a typo costs one glance. */
function suggestion(word: string, candidates: string[]): string {
  let best: string | undefined;
  let bestDistance = 3;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) [best, bestDistance] = [candidate, distance];
  }
  return best === undefined ? "" : ` (did you mean '${best}'?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}
