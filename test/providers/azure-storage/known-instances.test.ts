/** The status an Azure Storage hub has at hand for the instances it runs (knownInstance). */
import * as df from "../../../src/index";
import { ScenarioHub, waitFor } from "./azure-test-hub";

df.app.orchestration("KnownWaitsForGo", function* (context) {
  const go: string = yield context.df.waitForExternalEvent("Go");
  return go;
});

describe("knownInstance on Azure Storage", () => {
  let scenario: ScenarioHub;

  afterEach(async () => {
    await scenario.dispose();
  });

  it("answers from the last checkpoint for owned instances, and nothing elsewhere", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    const { hub, client } = scenario;
    await scenario.startWorker();
    const instanceId = await client.startNew("KnownWaitsForGo");
    await waitFor(async () => hub.knownInstance(instanceId)?.runtimeStatus === "Running", 10_000, "Running");
    // A hub object that owns no partition (a client elsewhere) has nothing at hand.
    expect(scenario.sibling().knownInstance(instanceId)).toBeUndefined();
    expect(hub.knownInstance("never-started")).toBeUndefined();

    await client.raiseEvent(instanceId, "Go", JSON.stringify("went"));
    const state = await client.waitForCompletion(instanceId, 10_000);
    expect(state?.output).toBe('"went"');
    expect(hub.knownInstance(instanceId)?.runtimeStatus).toBe("Completed");
    expect(scenario.errors).toEqual([]);
  }, 30_000);
});
