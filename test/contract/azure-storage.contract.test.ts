import { randomUUID } from "node:crypto";
import { AzureStorageTaskHub, storageClientsFromConnectionString } from "../../src/providers/azure-storage";
import { testStorageConnectionString } from "../support/test-storage";
import { describeTaskHubContract } from "./task-hub-contract";

describeTaskHubContract(
  "Azure Storage on Azurite",
  async () =>
    new AzureStorageTaskHub({
      clients: storageClientsFromConnectionString(testStorageConnectionString()),
      // Each test gets a hub of its own, so nothing of one test reaches the next.
      hubName: `Contract${randomUUID().replace(/-/g, "").slice(0, 12)}`,
      maxQueuePollingIntervalMs: 100,
      onError: () => undefined,
    }),
  { deliveryTimeoutMs: 10_000, quietPeriodMs: 500 },
);
