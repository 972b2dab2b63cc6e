/** The engines the entity patterns run on: the in-memory test hub and an Azure Storage hub in Azurite. */
import type { FunctionInvoker } from "../../src/engine/invoker";
import type { WorkerOptions } from "../../src/engine/worker";
import { DurableTestHub } from "../../src/testing/durable-test-hub";
import { ScenarioHub } from "../providers/azure-storage/azure-test-hub";
import type { EntityTestEngine } from "./entity-patterns";

export async function memoryEngine(
  invoker?: FunctionInvoker,
  worker?: WorkerOptions,
): Promise<EntityTestEngine> {
  const hub = await DurableTestHub.start({ invoker, worker });
  return { client: hub.client, stop: () => hub.stop() };
}

export async function azureStorageEngine(
  invoker?: FunctionInvoker,
  worker?: WorkerOptions,
): Promise<EntityTestEngine> {
  const scenario = await ScenarioHub.create({ partitionCount: 2 });
  await scenario.startWorker(worker, scenario.hub, invoker);
  return {
    client: scenario.client,
    stop: async () => {
      await scenario.dispose();
      // Background errors would otherwise pass unnoticed.
      expect(scenario.errors).toEqual([]);
    },
  };
}
