/**
 * Settings of the Azure Storage task hub that only show in how it talks to the queues: long
 * delays split into hops (`maxMessageDelayMs`), the control-queue batch size, and the
 * work-item visibility timeout that a running activity keeps renewing. The queue requests are
 * recorded through wrapped clients; the orchestrations run on the real engine.
 */
import * as df from "../../../src/index";
import { HistoryEventType } from "../../../src/protocol/history";
import { ScenarioHub, delay, eventsOfType, recordingStorageClients, type QueueCall } from "./azure-test-hub";

df.app.orchestration("SettingsTimer", function* (context) {
  const fireAt = new Date(context.df.currentUtcDateTime.getTime() + context.df.getInput<number>());
  yield context.df.createTimer(fireAt);
  return fireAt.toISOString();
});

df.app.orchestration("SettingsCollect", function* (context) {
  const items: number[] = [];
  for (let i = 0; i < context.df.getInput<number>(); i++) {
    const item: number = yield context.df.waitForExternalEvent("Item");
    items.push(item);
  }
  return items;
});

let slowRuns = 0;
df.app.orchestration("SettingsCallsSlow", function* (context) {
  const result: string = yield context.df.callActivity("SettingsSlow", context.df.getInput<number>());
  return result;
});

df.app.activity("SettingsSlow", {
  handler: async (ms: number) => {
    slowRuns++;
    await delay(ms);
    return "slow done";
  },
});

function receivesOf(calls: readonly QueueCall[], queue: string): Extract<QueueCall, { kind: "receive" }>[] {
  return calls.filter(
    (c): c is Extract<QueueCall, { kind: "receive" }> => c.kind === "receive" && c.queue === queue,
  );
}

describe("task hub settings on Azure Storage", () => {
  let scenario: ScenarioHub;

  afterEach(async () => {
    await scenario.dispose();
  });

  describe("maxMessageDelayMs", () => {
    it("delivers a timer longer than the longest queue delay in several hops", async () => {
      const calls: QueueCall[] = [];
      scenario = await ScenarioHub.create({
        clients: recordingStorageClients(calls),
        partitionCount: 1,
        maxMessageDelayMs: 1000,
        controlQueueVisibilityTimeoutMs: 30_000,
      });
      const { client, hub } = scenario;
      await scenario.startWorker();
      const startedAt = Date.now();
      const instanceId = await client.startNew("SettingsTimer", { instanceId: "timer", input: "3000" });
      const state = await client.waitForCompletion(instanceId, 15_000);
      const elapsedMs = Date.now() - startedAt;

      expect(state?.runtimeStatus).toBe("Completed");
      const fireAt = JSON.parse(state?.output ?? "null") as string;
      const history = await client.getHistory(instanceId);
      const [created] = eventsOfType(history, HistoryEventType.TimerCreated);
      const [fired] = eventsOfType(history, HistoryEventType.TimerFired);
      expect(created.FireAt).toBe(fireAt);
      expect(fired).toMatchObject({ TimerId: created.EventId, FireAt: fireAt });
      // No queue message was hidden for longer than the setting allows, so the timer took hops.
      // (Messages the hub hands itself are sent hidden for the visibility timeout: not delays.)
      const delayedSends = calls.filter(
        (c) =>
          c.kind === "send" &&
          c.queue === hub.resources.controlQueues[0] &&
          c.visibilityTimeoutS > 0 &&
          c.visibilityTimeoutS !== 30,
      );
      expect(delayedSends.length).toBeGreaterThanOrEqual(2);
      expect(delayedSends.every((c) => c.visibilityTimeoutS <= 1)).toBe(true);
      // Not delivered at any hop: the timer fires no earlier than its fireAt.
      expect(elapsedMs).toBeGreaterThanOrEqual(3000);
      expect(Date.parse(state?.completedTime ?? "")).toBeGreaterThanOrEqual(Date.parse(fireAt));
      // The episode that saw the timer fire ran after its fireAt (the orchestrator's clock).
      const episodes = eventsOfType(history, HistoryEventType.OrchestratorStarted);
      expect(Date.parse(episodes[episodes.length - 1].Timestamp)).toBeGreaterThanOrEqual(Date.parse(fireAt));
      expect(scenario.errors).toEqual([]);
    }, 30_000);
  });

  describe("controlQueueBatchSize", () => {
    it("receives at most that many control messages at a time", async () => {
      const calls: QueueCall[] = [];
      scenario = await ScenarioHub.create({
        clients: recordingStorageClients(calls),
        partitionCount: 1,
        controlQueueBatchSize: 2,
      });
      const { client, hub } = scenario;
      // Queued before any worker runs, so more messages wait than one receive may take.
      const instanceId = await client.startNew("SettingsCollect", { instanceId: "collect", input: "5" });
      for (let item = 1; item <= 5; item++) await client.raiseEvent(instanceId, "Item", String(item));
      await scenario.startWorker();
      const state = await client.waitForCompletion(instanceId, 15_000);

      expect(state?.runtimeStatus).toBe("Completed");
      expect((JSON.parse(state?.output ?? "[]") as number[]).sort()).toEqual([1, 2, 3, 4, 5]);
      const receives = receivesOf(calls, hub.resources.controlQueues[0]);
      // A start and five events, two at a time.
      expect(receives.filter((r) => r.received > 0).length).toBeGreaterThanOrEqual(3);
      expect(receives.every((r) => r.requested === 2)).toBe(true);
      expect(Math.max(...receives.map((r) => r.received))).toBe(2);
      expect(scenario.errors).toEqual([]);
    }, 30_000);
  });

  describe("workItemQueueVisibilityTimeoutMs", () => {
    it("keeps an activity that runs longer than the timeout hidden, so it runs once", async () => {
      const calls: QueueCall[] = [];
      scenario = await ScenarioHub.create({
        clients: recordingStorageClients(calls),
        workItemQueueVisibilityTimeoutMs: 3000,
      });
      const { client, hub } = scenario;
      // Other activity loops keep polling the work-item queue while the slow one runs.
      await scenario.startWorker({ maxConcurrentActivities: 4 });
      slowRuns = 0;
      const instanceId = await client.startNew("SettingsCallsSlow", { instanceId: "slow", input: "7000" });
      const state = await client.waitForCompletion(instanceId, 40_000);

      expect(state?.runtimeStatus).toBe("Completed");
      expect(JSON.parse(state?.output ?? "null")).toBe("slow done");
      expect(slowRuns).toBe(1);
      const receives = receivesOf(calls, hub.resources.workItemQueue);
      expect(receives.every((r) => r.visibilityTimeoutS === 3)).toBe(true);
      // Delivered once: received, or sent hidden for the timeout straight to an idle loop.
      const claimedSends = calls.filter(
        (c) => c.kind === "send" && c.queue === hub.resources.workItemQueue && c.visibilityTimeoutS === 3,
      );
      expect(receives.filter((r) => r.received > 0).length + claimedSends.length).toBe(1);
      // Renewed four times per timeout while it ran; other loops would have taken it otherwise.
      const renewals = calls.filter(
        (c) => c.kind === "update" && c.queue === hub.resources.workItemQueue && c.visibilityTimeoutS === 3,
      );
      expect(renewals.length).toBeGreaterThanOrEqual(3);
      expect(scenario.errors).toEqual([]);
    }, 60_000);
  });
});
