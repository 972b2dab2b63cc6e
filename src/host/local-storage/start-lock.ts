/**
 * A lock file taken while one command starts the storage process, so two hosts started at the
 * same moment do not both spawn Azurite on the same ports and data.
 */
import { openSync, closeSync, readFileSync, rmSync, writeSync } from "node:fs";
import { isProcessAlive } from "./storage-process-state";

const WAIT_STEP_MS = 100;

/** Takes the lock, waiting for another holder up to `timeoutMs`; resolves with its release. */
export async function takeStartLock(lockFile: string, timeoutMs = 60_000): Promise<() => void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(lockFile, "wx");
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    // A holder that died (killed while it started the storage) leaves its lock behind.
    const holder = readHolder(lockFile);
    if (holder !== undefined && !isProcessAlive(holder)) {
      rmSync(lockFile, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Another durable command (pid ${holder ?? "unknown"}) has been starting the local storage for ` +
          `${Math.round(timeoutMs / 1000)} s. If none is running, delete ${lockFile} and try again.`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
  }
}

function readHolder(lockFile: string): number | undefined {
  try {
    const pid = Number(readFileSync(lockFile, "utf8"));
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}
