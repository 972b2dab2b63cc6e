import { TaskHubClient } from "../../../src/engine/client";
import { MemoryTaskHub } from "../../../src/providers/memory";
import type { TaskHub } from "../../../src/providers/task-hub";
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

  describe("raising an event with a status the hub knows", () => {
    async function knownAs(runtimeStatus: "Running" | "Completed"): Promise<jest.SpyInstance> {
      await hub.createInstance(startMessage({ instanceId: "known" }), []);
      const stored = await hub.getInstance("known");
      if (!stored) throw new Error("no instance");
      // The memory hub has no knownInstance of its own: give it one that answers as told.
      const knowing: TaskHub = hub;
      knowing.knownInstance = () => ({ ...stored, runtimeStatus });
      return jest.spyOn(hub, "getInstance");
    }

    it("reads nothing when the known status accepts events", async () => {
      const reads = await knownAs("Running");
      await client.raiseEvent("known", "Approval", null);
      expect(reads).not.toHaveBeenCalled();
      expect(hub.pendingMessageCount()).toBe(2);
    });

    it("reads the stored status when the known one would refuse, and goes by that", async () => {
      // Known as ended, but stored as Pending: a newer start another process wrote.
      const reads = await knownAs("Completed");
      await client.raiseEvent("known", "Approval", null);
      expect(reads).toHaveBeenCalledTimes(1);
      expect(hub.pendingMessageCount()).toBe(2);
    });
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
