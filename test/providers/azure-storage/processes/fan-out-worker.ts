/**
 * A worker process for the multi-process tests: runs the "FanOutSum" orchestration and its
 * "Square" activity on an Azure Storage task hub. Every activity execution is reported on
 * stdout as `RAN <instanceId> <n>`, so the test can count the ones that ran more than once.
 *
 * Environment: STORAGE (connection string), HUB (task hub name), LEASE_MS (lease interval).
 */
import * as df from "../../../../src/index";
import { DurableWorker } from "../../../../src/engine/worker";
import {
  AzureStorageTaskHub,
  storageClientsFromConnectionString,
} from "../../../../src/providers/azure-storage";
import { RegistryInvoker } from "../../../../src/testing/registry-invoker";

df.app.orchestration("FanOutSum", function* (context) {
  const count = context.df.getInput<number>();
  const tasks = [];
  for (let n = 1; n <= count; n++) tasks.push(context.df.callActivity("Square", n));
  const squares: number[] = yield context.df.Task.all(tasks);
  return squares.reduce((sum, value) => sum + value, 0);
});

df.app.activity("Square", {
  handler: async (n: number, context) => {
    process.stdout.write(`RAN ${context.triggerMetadata?.instanceId as string} ${n}\n`);
    // Long enough that a kill lands while activities are in flight.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return n * n;
  },
});

async function main(): Promise<void> {
  const leaseMs = Number(process.env.LEASE_MS ?? 30_000);
  const hub = new AzureStorageTaskHub({
    clients: storageClientsFromConnectionString(required("STORAGE")),
    hubName: required("HUB"),
    leaseIntervalMs: leaseMs,
    leaseRenewIntervalMs: Math.max(200, Math.floor(leaseMs / 3)),
    leaseAcquireIntervalMs: Math.max(200, Math.floor(leaseMs / 3)),
    controlQueueVisibilityTimeoutMs: Number(process.env.VISIBILITY_MS ?? 300_000),
    workItemQueueVisibilityTimeoutMs: Number(process.env.VISIBILITY_MS ?? 300_000),
    maxQueuePollingIntervalMs: 500,
  });
  await hub.createIfNotExists();
  const worker = new DurableWorker(hub, new RegistryInvoker(), {
    onError: (error, context) => process.stderr.write(`worker error (${context}): ${String(error)}\n`),
  });
  await worker.start();
  process.stdout.write("READY\n");
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

main().catch((error: unknown) => {
  process.stderr.write(`worker failed: ${String(error)}\n`);
  process.exit(1);
});
