/** The demo app in functions/, run pattern by pattern on the in-memory test hub. */
import { mkdtemp, writeFile, mkdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DurableTestHub } from "durable-ts/testing";
import "../../functions";

let hub: DurableTestHub;

beforeEach(async () => {
  hub = await DurableTestHub.start();
});

afterEach(async () => {
  await hub.stop();
});

describe("the demo app", () => {
  it("HelloSequence greets three cities in order", async () => {
    const status = await hub.waitForCompletion(await hub.startOrchestration("HelloSequence"));
    expect(status.output).toEqual(["Hello Tokyo!", "Hello Seattle!", "Hello London!"]);
  });

  it("FanOutFanIn sums the sizes of the files under a folder", async () => {
    const folder = await mkdtemp(join(tmpdir(), "durable-demo-"));
    try {
      await mkdir(join(folder, "nested"));
      await writeFile(join(folder, "a.txt"), "12345");
      await writeFile(join(folder, "nested", "b.txt"), "1234567890");
      const status = await hub.waitForCompletion(await hub.startOrchestration("FanOutFanIn", folder));
      expect(status.output).toEqual({ folder, files: 2, totalBytes: 15 });
    } finally {
      await rm(folder, { recursive: true });
    }
  });

  it("Approval takes the event, or times out", async () => {
    const approved = await hub.startOrchestration("Approval", { timeoutSeconds: 3600 });
    await hub.whenIdle();
    await hub.raiseEvent(approved, "Approval", { approved: true, by: "ann" });
    expect((await hub.waitForCompletion(approved)).output).toEqual({ approved: true, by: "ann" });
    const ignored = await hub.startOrchestration("Approval", { timeoutSeconds: 3600 });
    expect((await hub.waitForCompletion(ignored)).output).toEqual({ approved: false, reason: "timed out" });
  });

  it("GreetRegions runs HelloSequence as sub-orchestrations", async () => {
    const status = await hub.waitForCompletion(
      await hub.startOrchestration("GreetRegions", ["emea", "apac"], "greet"),
    );
    expect(status.output).toEqual({
      emea: ["Hello Tokyo!", "Hello Seattle!", "Hello London!"],
      apac: ["Hello Tokyo!", "Hello Seattle!", "Hello London!"],
    });
    expect((await hub.getStatus("greet-emea"))?.runtimeStatus).toBe("Completed");
  });

  it("Counter adds, subtracts and resets per key, and deletes itself", async () => {
    const counter = { name: "Counter", key: "demo" };
    for (const amount of ["5", "3", null]) await hub.client.entities.signal(counter, "add", amount);
    await hub.client.entities.signal(counter, "subtract", "2");
    await hub.client.entities.signal({ name: "Counter", key: "other" }, "reset", null);
    await hub.whenIdle();
    expect(await hub.client.entities.readState(counter)).toEqual({ exists: true, state: "7" });
    expect(await hub.client.entities.readState({ name: "Counter", key: "other" })).toEqual({
      exists: true,
      state: "0",
    });

    await hub.client.entities.signal(counter, "delete", null);
    await hub.whenIdle();
    expect(await hub.client.entities.readState(counter)).toEqual({ exists: false });
  });

  it("PhoneVerification expires when nobody answers", async () => {
    const status = await hub.waitForCompletion(await hub.startOrchestration("PhoneVerification", "+1555"));
    expect(status.output).toEqual({ verified: false, reason: "expired" });
  });
});
