/**
 * A status row that cannot be written after an entity's batch was committed: the operations
 * are in the entity's history, so they must not come back to be applied again.
 */
import * as df from "../../../src/index";
import type { EntityContext } from "../../../src/index";
import type { AzureStorageTaskHub } from "../../../src/providers/azure-storage";
import type { InstanceState } from "../../../src/providers/task-hub";
import { ScenarioHub, delay, waitFor } from "./azure-test-hub";

df.app.entity("RowFailureTally", (context: EntityContext<number>) => {
  const value = context.df.getState(() => 0) ?? 0;
  if (context.df.operationName === "add") context.df.setState(value + (context.df.getInput<number>() ?? 1));
});

interface RowPutter {
  put(state: InstanceState, ...rest: unknown[]): Promise<unknown>;
}

/** The hub's next status row write for an entity fails, as a storage error would. */
function failNextEntityRow(hub: AzureStorageTaskHub): { failures: number } {
  const instances = (hub as unknown as { instances: RowPutter }).instances;
  const put = instances.put.bind(instances);
  const seen = { failures: 0 };
  instances.put = async (state, ...rest) => {
    if (seen.failures === 0 && state.instanceId.startsWith("@")) {
      seen.failures++;
      throw new Error("simulated row write failure");
    }
    return put(state, ...rest);
  };
  return seen;
}

describe("an entity whose status row write fails", () => {
  let scenario: ScenarioHub;

  afterEach(async () => {
    await scenario.dispose();
  });

  it("keeps each operation applied once, and writes the row with its next batch", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    const seen = failNextEntityRow(scenario.hub);
    await scenario.startWorker();
    const entity = { name: "rowfailuretally", key: "k" };
    const { entities } = scenario.client;

    await entities.signal(entity, "add", "1");
    await waitFor(() => seen.failures === 1, 10_000, "the failed row write");
    // Long enough for a message given back (1 s back-off) to have been applied again.
    await delay(3000);
    await entities.signal(entity, "add", "1");
    await waitFor(
      async () => (await entities.readState(entity)).state !== undefined,
      10_000,
      "the entity's row",
    );
    await delay(500);
    expect(await entities.readState(entity)).toEqual({ exists: true, state: "2" });
    expect(scenario.errors.every((error) => error.includes("simulated row write failure"))).toBe(true);
  }, 30_000);
});
