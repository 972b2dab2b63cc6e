/**
 * On the memory hub: an instance whose work cannot succeed fails with the reason at once, its
 * messages are kept as poison, and it never holds up the instances beside it.
 */
import * as df from "../../src/index";
import { DurableTestHub } from "../../src/testing/durable-test-hub";

df.app.orchestration("GivenUpEcho", function* (context) {
  const echoed: string = yield context.df.callActivity("GivenUpEchoStep", context.df.getInput<string>());
  return echoed;
});

df.app.activity("GivenUpEchoStep", { handler: (text: string) => text });

describe("an instance whose work cannot succeed", () => {
  let testHub: DurableTestHub;
  const errors: string[] = [];

  beforeEach(async () => {
    errors.length = 0;
    testHub = await DurableTestHub.start({
      worker: { onError: (error) => errors.push(error instanceof Error ? error.message : String(error)) },
    });
  });

  afterEach(async () => {
    await testHub.stop();
  });

  it("fails with the reason instead of being retried for ever, and its neighbours complete", async () => {
    // Input that is not JSON text: the orchestrator's payload cannot be built from it.
    const broken = await testHub.client.startNew("GivenUpEcho", { input: "not json" });
    const neighbours = await Promise.all(
      ["a", "b", "c"].map((text) => testHub.startOrchestration("GivenUpEcho", text)),
    );

    const failed = await testHub.client.waitForCompletion(broken, 5000);
    expect(failed?.runtimeStatus).toBe("Failed");
    expect(failed?.output).toContain("cannot succeed however often it is tried");
    expect(failed?.output).toContain("SyntaxError");
    // Tried twice: once when it failed, once more to give up.
    expect(errors.filter((e) => e.includes("not valid JSON"))).toHaveLength(1);
    expect(testHub.hub.poisonedMessages(broken).map((p) => p.message.event.EventType)).toHaveLength(1);

    for (const [i, id] of neighbours.entries()) {
      const state = await testHub.client.waitForCompletion(id, 5000);
      expect(state?.runtimeStatus).toBe("Completed");
      expect(JSON.parse(state?.output ?? "null")).toBe(["a", "b", "c"][i]);
    }
  });
});
