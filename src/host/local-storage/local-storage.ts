/**
 * The local storage of `durable start` for `UseDevelopmentStorage=true`: one Azurite process per
 * user, started by whichever durable command needs it first, detached so that it outlives the
 * hosts. A host killed at any moment loses nothing the storage acknowledged, and every app's
 * host finds the same storage, with its data in one place, until `durable storage stop`.
 */
import { spawn } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type { LocalStoragePlace } from "./local-storage-place";
import { takeStartLock } from "./start-lock";
import {
  describePorts,
  LOOPBACK,
  portsTakenMessage,
  SERVICE_NAMES,
  surveyPorts,
  type Service,
} from "./storage-probe";
import {
  isProcessAlive,
  readStorageProcessState,
  removeStorageProcessState,
  samePorts,
  writeStorageProcessState,
  type StorageProcessState,
} from "./storage-process-state";

/** What answers on the local storage's ports. */
export type LocalStorageStatus =
  /** The storage process a durable command started. */
  | { kind: "running"; state: StorageProcessState }
  /** An emulator durable did not start (the user's own Azurite, VS Code's...). */
  | { kind: "foreign" }
  | { kind: "stopped" }
  /** Some services answer and others do not. */
  | { kind: "partial"; running: Service[]; free: Service[]; state: StorageProcessState | undefined }
  | { kind: "blocked"; message: string };

export interface LocalStorageReady {
  /** Whether this call started the storage process. */
  started: boolean;
  /** The storage process durable runs; undefined when another Azurite answers. */
  state: StorageProcessState | undefined;
}

const READY_TIMEOUT_MS = 30_000;
/** Azurite saves its databases when it closes; a large one takes a while. */
const STOP_TIMEOUT_MS = 30_000;
const POLL_MS = 100;

export async function inspectLocalStorage(place: LocalStoragePlace): Promise<LocalStorageStatus> {
  const survey = await surveyPorts(place.ports);
  if (survey.taken.length > 0)
    return { kind: "blocked", message: portsTakenMessage(survey.taken, place.ports) };
  const recorded = readStorageProcessState(place.stateFile);
  const state = recorded && isOurStorageProcess(recorded, place) ? recorded : undefined;
  if (survey.free.length === 0) return state ? { kind: "running", state } : { kind: "foreign" };
  if (survey.running.length === 0) return { kind: "stopped" };
  return { kind: "partial", running: survey.running, free: survey.free, state };
}

/** Makes sure the storage answers on its ports, starting the storage process when nothing does. */
export async function ensureLocalStorage(
  place: LocalStoragePlace,
  log: (line: string) => void,
): Promise<LocalStorageReady> {
  mkdirSync(place.folder, { recursive: true });
  const release = await takeStartLock(place.lockFile);
  try {
    const status = await inspectLocalStorage(place);
    switch (status.kind) {
      case "blocked":
        throw new Error(status.message);
      case "running":
        log(`Using the local storage already running: ${describeRunning(status.state)}.`);
        return { started: false, state: status.state };
      case "foreign":
        log(
          `Using the Azurite already running on ${LOOPBACK} (${describePorts(place.ports)}). durable did not ` +
            `start it: its data is wherever it was started, and 'durable storage stop' leaves it alone.`,
        );
        return { started: false, state: undefined };
      case "partial":
        throw new Error(partialMessage(status.running, status.free, place));
      case "stopped": {
        const state = await startStorageProcess(place);
        log(
          `Started the local storage: ${describeRunning(state)}. It keeps running when the host stops; ` +
            `'durable storage stop' stops it.`,
        );
        return { started: true, state };
      }
    }
  } finally {
    release();
  }
}

export type StopOutcome =
  | { kind: "stopped"; state: StorageProcessState; forced: boolean }
  | { kind: "not-running" }
  | { kind: "foreign" };

/**
 * Stops the storage process durable started: SIGTERM, on which Azurite saves its databases and
 * exits; SIGKILL only if it has not exited after a long wait. Leaves any other Azurite alone.
 */
export async function stopLocalStorage(place: LocalStoragePlace): Promise<StopOutcome> {
  const recorded = readStorageProcessState(place.stateFile);
  if (!recorded || !isOurStorageProcess(recorded, place)) {
    const status = await inspectLocalStorage(place);
    if (status.kind === "stopped" || status.kind === "blocked") removeStorageProcessState(place.stateFile);
    return status.kind === "foreign" || status.kind === "partial"
      ? { kind: "foreign" }
      : { kind: "not-running" };
  }
  signal(recorded.pid, "SIGTERM");
  let forced = false;
  if (!(await waitForExit(recorded.pid, STOP_TIMEOUT_MS))) {
    signal(recorded.pid, "SIGKILL");
    forced = true;
    await waitForExit(recorded.pid, STOP_TIMEOUT_MS);
  }
  removeStorageProcessState(place.stateFile);
  return { kind: "stopped", state: recorded, forced };
}

/** "Azurite 3.35.0, pid 123, since <time>, on 127.0.0.1 (Blob 10000, ...), data in <folder>" */
export function describeRunning(state: StorageProcessState): string {
  return (
    `Azurite ${state.azuriteVersion}, pid ${state.pid}, since ${state.startedAt}, on ${LOOPBACK} ` +
    `(${describePorts(state.ports)}), data in ${state.dataFolder}`
  );
}

export function partialMessage(running: Service[], free: Service[], place: LocalStoragePlace): string {
  const names = (services: Service[]) => describePorts(place.ports, services);
  return (
    `An Azurite answers on ${LOOPBACK} for ${names(running)} but nothing does for ${names(free)}. ` +
    `Stop that Azurite ('durable storage stop' if durable started it), or start its missing services, ` +
    `and try again.`
  );
}

/**
 * The recorded process is still the one durable started: alive, on the same ports, and (where
 * the system tells) running Azurite, so a process id reused by another program is never taken
 * for it, nor signalled.
 */
function isOurStorageProcess(state: StorageProcessState, place: LocalStoragePlace): boolean {
  if (!samePorts(state.ports, place.ports) || !isProcessAlive(state.pid)) return false;
  try {
    return readFileSync(`/proc/${state.pid}/cmdline`, "utf8").includes("azurite");
  } catch {
    return true; // no /proc here: the port probe has to do
  }
}

async function startStorageProcess(place: LocalStoragePlace): Promise<StorageProcessState> {
  mkdirSync(place.dataFolder, { recursive: true });
  const { entry, version } = azuriteEntry();
  const { ports } = place;
  const output = openSync(place.logFile, "a");
  let child;
  try {
    child = spawn(
      process.execPath,
      [
        entry,
        `--location=${place.dataFolder}`,
        `--blobHost=${LOOPBACK}`,
        `--queueHost=${LOOPBACK}`,
        `--tableHost=${LOOPBACK}`,
        `--blobPort=${ports.blob}`,
        `--queuePort=${ports.queue}`,
        `--tablePort=${ports.table}`,
        // Newer SDKs than this Azurite knows are served, as the azurite command allows.
        "--skipApiVersionCheck",
        "--loose",
        "--disableTelemetry",
        "--silent",
      ],
      // Its own process group, no terminal and no handles of ours: Ctrl+C in the host's terminal
      // and the host's exit leave it running.
      { detached: true, stdio: ["ignore", output, output], cwd: place.folder, windowsHide: true },
    );
  } finally {
    closeSync(output);
  }
  child.unref();
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const pid = child.pid;
  try {
    if (pid === undefined) throw new Error("the process could not be created");
    await waitUntilReady(place, exited);
  } catch (error) {
    if (child.exitCode === null) child.kill("SIGKILL");
    throw new Error(
      `The local storage (Azurite) did not start: ${(error as Error).message}. Its output is in ${place.logFile}.`,
      { cause: error },
    );
  }
  const state: StorageProcessState = {
    pid,
    ports: { ...ports },
    dataFolder: place.dataFolder,
    startedAt: new Date().toISOString(),
    azuriteVersion: version,
  };
  writeStorageProcessState(place.stateFile, state);
  return state;
}

async function waitUntilReady(place: LocalStoragePlace, exited: Promise<number | null>): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => (exitCode = code));
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    const survey = await surveyPorts(place.ports);
    if (survey.running.length === 3) return;
    if (exitCode !== undefined) throw new Error(`it exited with code ${exitCode}`);
    if (survey.taken.length > 0) {
      const { service, what } = survey.taken[0];
      throw new Error(
        `port ${place.ports[service]} (${SERVICE_NAMES[service]}) was taken meanwhile: ${what}`,
      );
    }
    if (Date.now() > deadline) throw new Error(`it did not answer within ${READY_TIMEOUT_MS / 1000} s`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** A process that has just exited by itself is as good as stopped. */
function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ESRCH") throw error;
  }
}

async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  return true;
}

/** The azurite command's own entry in the installed package, and its version. */
function azuriteEntry(): { entry: string; version: string } {
  const load = createRequire(__filename);
  const { version } = load("azurite/package.json") as { version: string };
  return { entry: load.resolve("azurite/dist/src/azurite.js"), version };
}
