import { DurableWorker } from "../../../src/engine/worker";
import { MemoryTaskHub } from "../../../src/providers/memory";
import { RegistryInvoker } from "../../../src/testing/registry-invoker";
import { FunctionRegistry } from "../../../src/sdk/registry";

describe("DurableWorker", () => {
  it("keeps the event loop turning when its hub is stopped underneath it", async () => {
    const hub = new MemoryTaskHub();
    const worker = new DurableWorker(hub, new RegistryInvoker(new FunctionRegistry()));
    await worker.start();
    await hub.stop();

    // A loop that retried a stopped hub at once would starve this timer.
    const fired = await new Promise<boolean>((resolve) => setTimeout(() => resolve(true), 50));

    expect(fired).toBe(true);
    await worker.stop();
  });
});
