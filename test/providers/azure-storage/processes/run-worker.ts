/**
 * The body of the worker processes that tests start: a DurableWorker for the functions the
 * script registered, on the Azure Storage task hub the environment names. Says
 * `READY <owned partitions>` on stdout once started; stops gracefully on SIGTERM or SIGINT.
 *
 * Environment: STORAGE (connection string), HUB (task hub name), LEASE_MS (lease interval,
 * default 30 s), VISIBILITY_MS (queue visibility timeouts, default 5 min).
 */
import { DurableWorker } from "../../../../src/engine/worker";
import {
  AzureStorageTaskHub,
  storageClientsFromConnectionString,
} from "../../../../src/providers/azure-storage";
import { RegistryInvoker } from "../../../../src/testing/registry-invoker";

export function runWorkerProcess(): void {
  start().catch((error: unknown) => {
    process.stderr.write(`worker failed: ${String(error)}\n`);
    process.exit(1);
  });
}

async function start(): Promise<void> {
  const leaseMs = Number(process.env.LEASE_MS ?? 30_000);
  const visibilityMs = Number(process.env.VISIBILITY_MS ?? 300_000);
  const hub = new AzureStorageTaskHub({
    clients: storageClientsFromConnectionString(required("STORAGE")),
    hubName: required("HUB"),
    leaseIntervalMs: leaseMs,
    leaseRenewIntervalMs: Math.max(200, Math.floor(leaseMs / 3)),
    leaseAcquireIntervalMs: Math.max(200, Math.floor(leaseMs / 3)),
    controlQueueVisibilityTimeoutMs: visibilityMs,
    workItemQueueVisibilityTimeoutMs: visibilityMs,
    maxQueuePollingIntervalMs: 200,
  });
  await hub.createIfNotExists();
  const worker = new DurableWorker(hub, new RegistryInvoker(), {
    onError: (error, context) => process.stderr.write(`worker error (${context}): ${String(error)}\n`),
  });
  await worker.start();
  process.stdout.write(`READY ${hub.ownedPartitions().size}\n`);
  const shutdown = (): void => {
    worker.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", shutdown);
  process.on("SIGINT", shutdown);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set.`);
  return value;
}
