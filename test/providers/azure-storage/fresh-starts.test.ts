/**
 * A brand-new instance started by this process's client runs its first episode without reading
 * the history or the status row it knows to be empty and Pending.
 */
import * as df from "../../../src/index";
import { StorageOperationCounter } from "../../../src/host/diagnostics/storage-operations";
import { HistoryEventType } from "../../../src/protocol/history";
import { ScenarioHub, testStorageClients } from "./azure-test-hub";

df.app.orchestration("FreshStartEcho", function* (context) {
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1));
  return context.df.getInput<string>();
});

describe("fresh starts on Azure Storage", () => {
  let scenario: ScenarioHub;

  afterEach(async () => {
    await scenario.dispose();
  });

  it("begin from no history and the Pending row without reading them", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    await scenario.startWorker();
    const counter = new StorageOperationCounter(scenario.hub.storageEndpoints());
    counter.start();
    try {
      const instanceId = await scenario.client.startNew("FreshStartEcho", { input: JSON.stringify("hi") });
      const state = await scenario.client.waitForCompletion(instanceId, 10_000);
      expect(state?.output).toBe('"hi"');
    } finally {
      counter.stop();
    }
    const operations = counter.snapshot();
    // No episode read the history (a query); the point reads are the client's own looks.
    expect(operations["table.query"]).toBeUndefined();
    expect(scenario.errors).toEqual([]);
  }, 30_000);

  it("read the history after all when an earlier execution left one without a status row", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    await scenario.startWorker();
    const { client, hub } = scenario;
    await client.startNew("FreshStartEcho", { instanceId: "reused", input: JSON.stringify("first") });
    expect((await client.waitForCompletion("reused", 10_000))?.output).toBe('"first"');
    // Only the row goes: the id now looks unused, but its history rows are still there.
    await testStorageClients().table(hub.resources.instancesTable).deleteEntity("reused", "");

    await client.startNew("FreshStartEcho", { instanceId: "reused", input: JSON.stringify("second") });
    const state = await client.waitForCompletion("reused", 15_000);
    expect(state?.output).toBe('"second"');
    const history = await client.getHistory("reused");
    expect(history.filter((event) => event.EventType === HistoryEventType.ExecutionStarted)).toHaveLength(1);
    // The first attempt's sentinel insert conflicted and the work item was given back (with an
    // episode that had started from it, if any).
    expect(scenario.errors.length).toBeGreaterThan(0);
    for (const error of scenario.errors) {
      expect(error).toMatch(
        /^worker: orchestration reused: (An earlier commit of this instance failed: )?The history of 'reused' was changed by another worker; the work item is given back\.$/,
      );
    }
  }, 40_000);
});
