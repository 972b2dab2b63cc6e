/**
 * The state file of the storage process a durable command started: enough for later commands
 * to find it again, and to tell it apart from an Azurite somebody else runs on the same ports.
 */
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import type { StoragePorts } from "./local-storage-place";

export interface StorageProcessState {
  pid: number;
  ports: StoragePorts;
  dataFolder: string;
  /** ISO 8601. */
  startedAt: string;
  azuriteVersion: string;
}

/** The state, or undefined when there is none or it is unreadable (then it is just stale). */
export function readStorageProcessState(stateFile: string): StorageProcessState | undefined {
  let text: string;
  try {
    text = readFileSync(stateFile, "utf8");
  } catch {
    return undefined;
  }
  try {
    const state = JSON.parse(text) as Partial<StorageProcessState>;
    const ports = state.ports;
    const valid =
      Number.isInteger(state.pid) &&
      typeof ports === "object" &&
      ports !== null &&
      [ports.blob, ports.queue, ports.table].every(Number.isInteger) &&
      typeof state.dataFolder === "string" &&
      typeof state.startedAt === "string";
    return valid ? (state as StorageProcessState) : undefined;
  } catch {
    return undefined;
  }
}

/** Written to a side file and renamed, so a reader never sees half of it. */
export function writeStorageProcessState(stateFile: string, state: StorageProcessState): void {
  const partial = `${stateFile}.${process.pid}.tmp`;
  writeFileSync(partial, `${JSON.stringify(state, null, 2)}\n`);
  renameSync(partial, stateFile);
}

export function removeStorageProcessState(stateFile: string): void {
  rmSync(stateFile, { force: true });
}

/** Whether a process with this id exists (it may belong to another user: EPERM). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

export function samePorts(a: StoragePorts, b: StoragePorts): boolean {
  return a.blob === b.blob && a.queue === b.queue && a.table === b.table;
}
