/**
 * A worker process for the lease-expiry test: runs the functions of lease-functions.ts on an
 * Azure Storage task hub with short partition leases, and says `READY <owned partitions>` on
 * stdout once its first lease cycle is done. The test kills it with SIGKILL, so it never
 * releases anything.
 *
 * Environment: STORAGE (connection string), HUB (task hub name), LEASE_MS (lease interval).
 */
import "./lease-functions";
import { DurableWorker } from "../../../../src/engine/worker";
import {
  AzureStorageTaskHub,
  storageClientsFromConnectionString,
} from "../../../../src/providers/azure-storage";
import { RegistryInvoker } from "../../../../src/testing/registry-invoker";

async function main(): Promise<void> {
  const leaseMs = Number(required("LEASE_MS"));
  const hub = new AzureStorageTaskHub({
    clients: storageClientsFromConnectionString(required("STORAGE")),
    hubName: required("HUB"),
    leaseIntervalMs: leaseMs,
    leaseRenewIntervalMs: Math.floor(leaseMs / 3),
    leaseAcquireIntervalMs: Math.floor(leaseMs / 3),
    maxQueuePollingIntervalMs: 100,
  });
  await hub.createIfNotExists();
  const worker = new DurableWorker(hub, new RegistryInvoker(), {
    onError: (error, context) => process.stderr.write(`worker error (${context}): ${String(error)}\n`),
  });
  await worker.start();
  process.stdout.write(`READY ${hub.ownedPartitions().size}\n`);
}

function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set.`);
  return value;
}

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${String(error)}\n`);
  process.exit(1);
});
