import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { join } from "node:path";
import { promisify } from "node:util";
import { QueueServiceClient } from "@azure/storage-queue";
import * as df from "../../../src/index";
import { DurableWorker } from "../../../src/engine/worker";
import { openAzureStorageTaskHub, openConfiguredTaskHub } from "../../../src/task-hub";
import { RegistryInvoker } from "../../../src/testing/registry-invoker";
import { testStorageConnectionString } from "../../support/test-storage";

const run = promisify(execFile);
const hubName = (prefix: string): string => `${prefix}${randomUUID().replace(/-/g, "").slice(0, 12)}`;

df.app.orchestration("WaitForName", function* (context) {
  const greeting = context.df.getInput<string>();
  const name: string = yield context.df.waitForExternalEvent("name");
  return `${greeting}, ${name}!`;
});

describe("a client outside the host", () => {
  it("starts, signals, waits for and lists instances from a plain Node process", async () => {
    const name = hubName("Outside");
    const hub = await openAzureStorageTaskHub({
      connectionString: testStorageConnectionString(),
      hubName: name,
      maxQueuePollingIntervalMs: 100,
    });
    const worker = new DurableWorker(hub, new RegistryInvoker());
    await worker.start();
    try {
      const root = join(__dirname, "../../..");
      const { stdout } = await run(
        process.execPath,
        ["-r", join(root, "test/support/ts-register.js"), join(__dirname, "processes/outside-client.ts")],
        {
          env: {
            ...process.env,
            STORAGE: testStorageConnectionString(),
            HUB: name,
            INSTANCE: "from-outside",
          },
        },
      );
      expect(JSON.parse(stdout.trim().split("\n").pop() ?? "")).toEqual({
        status: "Completed",
        output: JSON.stringify("Hello, outside!"),
        listed: ["from-outside"],
      });
    } finally {
      await worker.stop();
      await hub.deleteHub();
    }
  }, 60_000);
});

describe("a task hub configured by host.json", () => {
  it("takes its name, connection, partitions and limits from extensions.durableTask", async () => {
    const name = hubName("Configured");
    const hostJson = {
      version: "2.0",
      extensions: {
        durableTask: {
          hubName: "%MY_HUB%",
          maxConcurrentActivityFunctions: 3,
          maxConcurrentOrchestratorFunctions: 2,
          maxEntityOperationBatchSize: 40,
          storageProvider: {
            connectionName: "MyStorage",
            partitionCount: 2,
            maxQueuePollingInterval: "00:00:01",
          },
        },
      },
    };
    const configured = await openConfiguredTaskHub(hostJson, {
      MY_HUB: name,
      MyStorage: testStorageConnectionString(),
    });
    try {
      expect(configured.hub.name).toBe(name);
      expect(configured.hub.resources.controlQueues).toEqual([
        `${name.toLowerCase()}-control-00`,
        `${name.toLowerCase()}-control-01`,
      ]);
      expect(configured.settings.maxQueuePollingIntervalMs).toBe(1000);
      expect(configured.workerOptions).toEqual({
        maxConcurrentActivities: 3,
        maxConcurrentOrchestrations: 2,
        entitySettings: { maxEntityOperationBatchSize: 40 },
      });
      const client = configured.hub;
      const queues = [];
      for await (const queue of storageQueues(name)) queues.push(queue);
      expect(queues.sort()).toEqual(
        [...client.resources.controlQueues, client.resources.workItemQueue].sort(),
      );
    } finally {
      await configured.hub.deleteHub();
    }
  });

  it("says which setting is wrong", async () => {
    const hostJson = { extensions: { durableTask: { storageProvider: { partitionCount: 40 } } } };
    await expect(
      openConfiguredTaskHub(hostJson, { AzureWebJobsStorage: testStorageConnectionString() }),
    ).rejects.toThrow(/extensions\.durableTask\.storageProvider\.partitionCount/);
  });

  it("names the missing connection setting", async () => {
    const hostJson = { extensions: { durableTask: { storageProvider: { connectionName: "Nowhere" } } } };
    await expect(openConfiguredTaskHub(hostJson, {})).rejects.toThrow(/Nowhere/);
  });
});

async function* storageQueues(hub: string): AsyncGenerator<string> {
  const service = QueueServiceClient.fromConnectionString(testStorageConnectionString());
  for await (const queue of service.listQueues({ prefix: hub.toLowerCase() })) yield queue.name;
}
