import { TaskHubClient } from "../../../src/engine/client";
import { MemoryTaskHub } from "../../../src/providers/memory";
import { orchestrationCheckpoint, startMessage } from "../../support/messages";

/** An instance whose execution continued as new, before its next generation has started. */
async function betweenGenerations(hub: MemoryTaskHub, instanceId: string): Promise<void> {
  await hub.createInstance(startMessage({ instanceId }), []);
  const workItem = await hub.lockNextOrchestrationWorkItem();
  if (!workItem?.state) throw new Error("no work item");
  await hub.completeOrchestrationWorkItem(
    workItem,
    orchestrationCheckpoint({ state: { ...workItem.state, runtimeStatus: "ContinuedAsNew" } }),
  );
}

describe("TaskHubClient", () => {
  let hub: MemoryTaskHub;
  let client: TaskHubClient;

  beforeEach(async () => {
    hub = new MemoryTaskHub();
    await hub.start();
    client = new TaskHubClient(hub);
  });

  afterEach(() => hub.stop());

  it("takes events, terminations and suspensions between two generations of continue-as-new", async () => {
    await betweenGenerations(hub, "between");

    await client.raiseEvent("between", "Approval", '"yes"');
    await client.terminate("between", "stop");
    await client.suspend("between", "wait");

    // Kept for the next generation, as the engine keeps them.
    expect(hub.pendingMessageCount()).toBe(3);
  });

  it("purges nothing when only live statuses are asked for", async () => {
    await hub.createInstance(startMessage({ instanceId: "live" }), []);

    const deleted = await client.purgeBy({
      createdTimeFrom: "2000-01-01T00:00:00.000Z",
      runtimeStatus: ["Pending", "Running"],
    });

    expect(deleted).toBe(0);
    expect(await client.getInstance("live")).toBeDefined();
  });
});
