/**
 * Where the local storage keeps its data and which ports it serves: one place per user, the
 * same for every app, so whichever host or command starts it, they all find the same one.
 */
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface StoragePorts {
  blob: number;
  queue: number;
  table: number;
}

/** Where `UseDevelopmentStorage=true` connects. */
export const DEVELOPMENT_STORAGE_PORTS: Readonly<StoragePorts> = { blob: 10000, queue: 10001, table: 10002 };

/** Moves the local storage's folder (data, state file, log), e.g. for tests. */
export const STORAGE_DIR_VARIABLE = "DURABLE_STORAGE_DIR";
/** `<blob>,<queue>,<table>`: other ports than the emulator's, e.g. when those are taken or in tests. */
export const STORAGE_PORTS_VARIABLE = "DURABLE_STORAGE_PORTS";

export interface LocalStoragePlace {
  /** Absolute; holds the three below. */
  folder: string;
  /** Azurite's `--location`: its databases and the blob and queue extents. */
  dataFolder: string;
  /** Pid, ports and start time of the storage process a durable command started. */
  stateFile: string;
  /** Azurite's own output, for when it will not start or stops by itself. */
  logFile: string;
  /** Held while one command starts the storage, so two never start it at once. */
  lockFile: string;
  ports: StoragePorts;
}

/** The default folder: `~/.durable-ts/storage`. */
export function defaultStorageFolder(): string {
  return join(homedir(), ".durable-ts", "storage");
}

/** Reads the place from the environment (only the process's own: it is not an app setting). */
export function localStoragePlace(env: Record<string, string | undefined> = process.env): LocalStoragePlace {
  const configured = env[STORAGE_DIR_VARIABLE]?.trim();
  const folder = configured ? resolve(configured) : defaultStorageFolder();
  return {
    folder,
    dataFolder: join(folder, "azurite"),
    stateFile: join(folder, "storage-process.json"),
    logFile: join(folder, "azurite.log"),
    lockFile: join(folder, "starting.lock"),
    ports: parsePorts(env[STORAGE_PORTS_VARIABLE]),
  };
}

function parsePorts(text: string | undefined): StoragePorts {
  if (text === undefined || text.trim() === "") return { ...DEVELOPMENT_STORAGE_PORTS };
  const ports = text.split(",").map((part) => (/^\s*\d+\s*$/.test(part) ? Number(part) : NaN));
  const valid = ports.length === 3 && ports.every((port) => port >= 1 && port <= 65535);
  if (!valid || new Set(ports).size !== 3) {
    throw new Error(
      `${STORAGE_PORTS_VARIABLE} must be three different port numbers, blob,queue,table ` +
        `(as in 10000,10001,10002), not '${text}'.`,
    );
  }
  const [blob, queue, table] = ports;
  return { blob, queue, table };
}

/** Whether the ports are those `UseDevelopmentStorage=true` points at. */
export function areDevelopmentStoragePorts(ports: StoragePorts): boolean {
  return (
    ports.blob === DEVELOPMENT_STORAGE_PORTS.blob &&
    ports.queue === DEVELOPMENT_STORAGE_PORTS.queue &&
    ports.table === DEVELOPMENT_STORAGE_PORTS.table
  );
}
