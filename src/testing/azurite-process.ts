/**
 * Starts a real Azurite (from the azurite npm package) in a child process on free loopback
 * ports, in memory: one serves a whole jest run (see test/setup), one each benchmark scenario.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { DEV_ACCOUNT_KEY, DEV_ACCOUNT_NAME } from "../providers/azure-storage/connection";
import { freePorts, isListening } from "./free-port";

export interface AzuriteProcess {
  connectionString: string;
  ports: { blob: number; queue: number; table: number };
  /** The process id, e.g. to read its CPU time. */
  pid: number | undefined;
  stop(): Promise<void>;
}

/** The well-known development account of the storage emulators. */
export const DEV_ACCOUNT = DEV_ACCOUNT_NAME;
export const DEV_KEY = DEV_ACCOUNT_KEY;

export function devConnectionString(ports: { blob: number; queue: number; table: number }): string {
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
    `BlobEndpoint=http://127.0.0.1:${ports.blob}/${DEV_ACCOUNT};` +
    `QueueEndpoint=http://127.0.0.1:${ports.queue}/${DEV_ACCOUNT};` +
    `TableEndpoint=http://127.0.0.1:${ports.table}/${DEV_ACCOUNT};`
  );
}

export async function startAzurite(): Promise<AzuriteProcess> {
  const [blob, queue, table] = await freePorts(3);
  const ports = { blob, queue, table };
  const child = spawn(
    process.execPath,
    [
      require.resolve("azurite/dist/src/azurite.js"),
      "--inMemoryPersistence",
      "--silent",
      "--skipApiVersionCheck",
      "--disableTelemetry",
      "--loose",
      "--blobHost=127.0.0.1",
      "--queueHost=127.0.0.1",
      "--tableHost=127.0.0.1",
      `--blobPort=${ports.blob}`,
      `--queuePort=${ports.queue}`,
      `--tablePort=${ports.table}`,
    ],
    { stdio: ["ignore", "ignore", "pipe"] },
  );
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await Promise.all(Object.values(ports).map((port) => waitForPort(port, child, () => stderr)));
  } catch (error) {
    child.kill("SIGKILL");
    throw error;
  }
  return {
    connectionString: devConnectionString(ports),
    ports,
    pid: child.pid,
    stop: () => stopChild(child),
  };
}

async function waitForPort(port: number, child: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`Azurite exited (${child.exitCode}): ${stderr()}`);
    if (await isListening(port)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`Azurite did not listen on port ${port} within 30 s: ${stderr()}`);
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
    setTimeout(() => child.kill("SIGKILL"), 5000).unref();
  });
}
