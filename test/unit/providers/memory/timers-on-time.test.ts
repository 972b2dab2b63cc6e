/**
 * On the system clock (as `durable start --in-memory-storage` runs it), the memory provider
 * arms one real timer for its earliest delayed message: a durable timer fires at its time
 * however long the hub sat idle before, with nobody polling.
 */
import { TaskHubClient } from "../../../../src/engine/client";
import { DurableWorker } from "../../../../src/engine/worker";
import * as df from "../../../../src/index";
import { MemoryTaskHub } from "../../../../src/providers/memory";
import { RegistryInvoker } from "../../../../src/testing/registry-invoker";
import { delay } from "../../../support/wait-for";

df.app.orchestration("MemoryTimerAt", function* (context) {
  yield context.df.createTimer(new Date(context.df.getInput<string>()));
  return context.df.currentUtcDateTime.toISOString();
});

describe("timers on the memory provider's system clock", () => {
  it("fire within a few milliseconds of their time after the hub sat idle", async () => {
    const hub = new MemoryTaskHub({ name: "MemoryTimers" });
    const worker = new DurableWorker(hub, new RegistryInvoker());
    await worker.start();
    try {
      await delay(1000);
      const dueMs = Date.now() + 1500;
      const client = new TaskHubClient(hub);
      const instanceId = await client.startNew("MemoryTimerAt", {
        input: JSON.stringify(new Date(dueMs).toISOString()),
      });
      const state = await client.waitForCompletion(instanceId, 10_000);

      expect(state?.runtimeStatus).toBe("Completed");
      const late = Date.parse(JSON.parse(state?.output ?? "null") as string) - dueMs;
      expect(late).toBeGreaterThanOrEqual(0);
      expect(late).toBeLessThan(300);
    } finally {
      await worker.stop();
    }
  });
});
