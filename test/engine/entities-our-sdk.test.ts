/** Entities with the durable-ts SDK, on the memory hub and on Azure Storage. */
import * as df from "../../src";
import type { EntityContext, OrchestrationContext } from "../../src";
import { azureStorageEngine, memoryEngine } from "./entity-engines";
import { describeEntityPatterns, registerEntityPatterns, type EntityTestEngine } from "./entity-patterns";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../support/official-invoker")>("../support/official-invoker")
    .interceptGeneric(),
);

registerEntityPatterns(df as unknown as Parameters<typeof registerEntityPatterns>[0]);

describeEntityPatterns("entities with the durable-ts SDK on the memory hub", () => memoryEngine(), {
  timeoutMs: 10_000,
});
describeEntityPatterns("entities with the durable-ts SDK on Azure Storage", () => azureStorageEngine(), {
  timeoutMs: 60_000,
});

// Scheduled signals are ours alone: the official package's signalEntity takes no time.
const DELAY_MS = 1500;

df.app.entity("Clockwork", (context: EntityContext<string[]>) => {
  const seen = context.df.getState(() => []) ?? [];
  if (context.df.operationName === "relay") {
    const due = new Date(Date.parse(context.df.getInput<string>() ?? "") + DELAY_MS);
    context.df.signalEntity(new df.EntityId("Clockwork", "relayed"), "record", due.toISOString(), due);
  } else {
    context.df.setState([...seen, context.df.getInput<string>() ?? ""]);
  }
});

df.app.orchestration("ScheduleClockwork", function* (context: OrchestrationContext) {
  const due = new Date(context.df.currentUtcDateTime.getTime() + DELAY_MS);
  context.df.signalEntity(new df.EntityId("Clockwork", "orchestrated"), "record", due.toISOString(), due);
  yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1));
  return due.toISOString();
});

for (const [provider, start] of [
  ["the memory hub", () => memoryEngine()],
  ["Azure Storage", () => azureStorageEngine()],
] as const) {
  describe(`scheduled entity signals on ${provider}`, () => {
    let engine: EntityTestEngine;
    beforeEach(async () => {
      engine = await start();
    });
    afterEach(() => engine.stop());

    /** Waits for the entity to record its one signal; checks it ran no earlier than it was due. */
    async function expectRecordedOnTime(key: string): Promise<void> {
      const instanceId = `@clockwork@${key}`;
      const deadline = Date.now() + 20_000;
      for (;;) {
        const read = await engine.client.entities.readState({ name: "Clockwork", key });
        if (read.exists) {
          const [due] = JSON.parse(read.state ?? "[]") as string[];
          const row = await engine.client.getInstance(instanceId);
          expect(Date.parse(row?.lastUpdatedTime ?? "")).toBeGreaterThanOrEqual(Date.parse(due ?? ""));
          return;
        }
        if (Date.now() > deadline) throw new Error(`${instanceId} recorded nothing.`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }

    it("delivers a client's scheduled signal at its time", async () => {
      const due = new Date(engine.client.hub.clock.now().getTime() + DELAY_MS);
      await engine.client.entities.signal(
        { name: "Clockwork", key: "client" },
        "record",
        JSON.stringify(due.toISOString()),
        due,
      );
      await expectRecordedOnTime("client");
    });

    it("delivers an orchestration's scheduled signal at its time", async () => {
      const id = await engine.client.startNew("ScheduleClockwork");
      expect((await engine.client.waitForCompletion(id, 20_000))?.runtimeStatus).toBe("Completed");
      await expectRecordedOnTime("orchestrated");
    });

    it("delivers an entity's scheduled signal at its time", async () => {
      const now = engine.client.hub.clock.now().toISOString();
      await engine.client.entities.signal({ name: "Clockwork", key: "relay" }, "relay", JSON.stringify(now));
      await expectRecordedOnTime("relayed");
    });
  });
}
