/**
 * Poison messages on the Azure Storage task hub: a message delivered more than
 * `maxDequeueCount` times without being consumed is moved to the `{Hub}Poison` table and its
 * instance is told why, instead of the message circling for ever; an unreadable body is moved
 * there at once. The work items are locked and abandoned by hand to stand in for a host that
 * keeps crashing on them; abandon hides a message for 2^dequeueCount seconds, so two
 * abandons cost about 2 s + 4 s.
 */
import * as df from "../../../src/index";
import { HistoryEventType } from "../../../src/protocol/history";
import { TaskHubClient } from "../../../src/engine/client";
import type { AzureStorageTaskHub } from "../../../src/providers/azure-storage";
import { ScenarioHub, eventsOfType, testStorageClients, waitFor } from "./azure-test-hub";

const MAX_DEQUEUE_COUNT = 2;
/** A message is poison on the delivery after the limit. */
const POISON_DELIVERY = MAX_DEQUEUE_COUNT + 1;

df.app.orchestration("PoisonAwaitsPoke", function* (context) {
  const value: string = yield context.df.waitForExternalEvent("Poke");
  return `poked: ${value}`;
});

df.app.orchestration("PoisonHealthy", function* (context) {
  const doubled: number = yield context.df.callActivity("PoisonDouble", context.df.getInput<number>());
  return doubled;
});

df.app.activity("PoisonDouble", { handler: (n: number) => n * 2 });

df.app.orchestration("PoisonCallsFragile", function* (context) {
  const catchFailure = context.df.getInput<boolean>();
  try {
    const result: string = yield context.df.callActivity("PoisonFragile", "payload");
    return result;
  } catch (error) {
    if (!catchFailure) throw error;
    return `caught: ${(error as Error).message}`;
  }
});

let fragileRuns = 0;
df.app.activity("PoisonFragile", {
  handler: () => {
    fragileRuns++;
    return "ran";
  },
});

/** Stands in for a host that crashes on an instance's messages `times` times in a row. */
async function abandonOrchestrationWork(
  hub: AzureStorageTaskHub,
  instanceId: string,
  times: number,
): Promise<void> {
  for (let i = 0; i < times; i++) {
    const workItem = await hub.lockNextOrchestrationWorkItem(AbortSignal.timeout(15_000));
    expect(workItem?.instanceId).toBe(instanceId);
    if (workItem) await hub.abandonOrchestrationWorkItem(workItem);
  }
}

async function controlQueuesAreEmpty(hub: AzureStorageTaskHub): Promise<boolean> {
  const { queueService } = testStorageClients();
  const counts = await Promise.all(
    hub.resources.controlQueues.map(
      async (name) => (await queueService.getQueueClient(name).getProperties()).approximateMessagesCount,
    ),
  );
  return counts.every((count) => count === 0);
}

async function expectHealthyOrchestrationCompletes(scenario: ScenarioHub, instanceId: string): Promise<void> {
  await scenario.client.startNew("PoisonHealthy", { instanceId, input: "21" });
  const state = await scenario.client.waitForCompletion(instanceId, 15_000);
  expect({ status: state?.runtimeStatus, output: state?.output }).toEqual({
    status: "Completed",
    output: "42",
  });
}

describe("poison messages on Azure Storage", () => {
  let scenario: ScenarioHub;

  afterEach(async () => {
    await scenario.dispose();
  });

  describe("orchestration messages", () => {
    it("fails a Pending instance whose start message was delivered too often, and keeps the message", async () => {
      scenario = await ScenarioHub.create({ maxDequeueCount: MAX_DEQUEUE_COUNT });
      const { hub, client } = scenario;
      await hub.start();
      // Sent by a client that polls nothing, so the start is received from the queue every time
      // (a hub hands what it sends to its own partitions straight to itself, uncounted).
      const starter = new TaskHubClient(scenario.sibling());
      const instanceId = await starter.startNew("PoisonAwaitsPoke", { instanceId: "poison-start" });
      await abandonOrchestrationWork(hub, instanceId, MAX_DEQUEUE_COUNT);

      await scenario.startWorker();
      // The host keeps serving other instances while the poison message is in its back-off.
      await expectHealthyOrchestrationCompletes(scenario, "healthy-during");
      const state = await client.waitForCompletion(instanceId, 20_000);

      expect(state?.runtimeStatus).toBe("Failed");
      expect(state?.output).toContain(
        `(ExecutionStarted) was delivered ${POISON_DELIVERY} times without being processed, more than the ` +
          `limit of ${MAX_DEQUEUE_COUNT}; it was moved to the ${hub.resources.poisonTable} table.`,
      );
      const rows = await hub.poison.list(instanceId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        Queue: expect.stringMatching(/-control-0\d$/),
        DequeueCount: POISON_DELIVERY,
        Reason: expect.stringContaining(`delivered ${POISON_DELIVERY} times`),
      });
      expect(String(rows[0].Body)).toContain("ExecutionStartedEvent");
      await waitFor(() => controlQueuesAreEmpty(hub), 10_000, "the poison message leaving its queue");
      await expectHealthyOrchestrationCompletes(scenario, "healthy-after");
    }, 40_000);

    it("fails a Running instance when one of its later messages turns poison", async () => {
      scenario = await ScenarioHub.create({ maxDequeueCount: MAX_DEQUEUE_COUNT });
      const { client } = scenario;
      const first = await scenario.startWorker();
      const instanceId = await client.startNew("PoisonAwaitsPoke", { instanceId: "poison-event" });
      await waitFor(
        async () => (await client.getInstance(instanceId))?.runtimeStatus === "Running",
        10_000,
        "the instance running",
      );
      // A second hub object takes over, as a restarted host would, so its work can be held by hand.
      await first.stop();
      const hub = scenario.sibling();
      await hub.start();
      await client.raiseEvent(instanceId, "Poke", JSON.stringify("hello"));
      await abandonOrchestrationWork(hub, instanceId, MAX_DEQUEUE_COUNT);

      await scenario.startWorker({}, hub);
      await expectHealthyOrchestrationCompletes(scenario, "healthy-during");
      const state = await client.waitForCompletion(instanceId, 20_000);

      expect(state?.runtimeStatus).toBe("Failed");
      expect(state?.output).toContain(`(EventRaised) was delivered ${POISON_DELIVERY} times`);
      expect(state?.output).toContain(`moved to the ${hub.resources.poisonTable} table`);
      const history = await client.getHistory(instanceId);
      expect(eventsOfType(history, HistoryEventType.EventRaised)).toHaveLength(0);
      const [ended] = eventsOfType(history, HistoryEventType.ExecutionCompleted);
      expect(ended.FailureDetails?.ErrorType).toBe("PoisonMessageError");
      const rows = await hub.poison.list(instanceId);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ DequeueCount: POISON_DELIVERY });
      expect(String(rows[0].Body)).toContain('"Poke"');
    }, 40_000);

    it("keeps an event held for a suspended instance hidden, so waiting does not make it poison", async () => {
      // Visibility lapses every 1.5 s: without renewals the held event would be received again
      // several times while it waits, and a host taking over would poison it at once.
      scenario = await ScenarioHub.create({
        maxDequeueCount: MAX_DEQUEUE_COUNT,
        controlQueueVisibilityTimeoutMs: 1500,
      });
      const { client } = scenario;
      const first = await scenario.startWorker();
      const instanceId = await client.startNew("PoisonAwaitsPoke", { instanceId: "held" });
      await waitFor(
        async () => (await client.getInstance(instanceId))?.runtimeStatus === "Running",
        10_000,
        "the instance running",
      );
      await client.suspend(instanceId, "hold on");
      await waitFor(
        async () => (await client.getInstance(instanceId))?.runtimeStatus === "Suspended",
        10_000,
        "the instance suspended",
      );
      await client.raiseEvent(instanceId, "Poke", JSON.stringify("patience"));
      await new Promise((resolve) => setTimeout(resolve, 6000));

      await first.stop();
      const hub = scenario.sibling();
      await scenario.startWorker({}, hub);
      await client.resume(instanceId, "go on");
      const state = await client.waitForCompletion(instanceId, 20_000);

      expect(state?.runtimeStatus).toBe("Completed");
      expect(state?.output).toContain("patience");
      expect(await hub.poison.list(instanceId)).toEqual([]);
    }, 40_000);
  });

  describe("activity requests", () => {
    it("fails the activity's task back to its orchestration instead of running it again", async () => {
      scenario = await ScenarioHub.create({ maxDequeueCount: MAX_DEQUEUE_COUNT });
      const { hub, client } = scenario;
      // Orchestrations only: the activity requests are left to the test.
      await scenario.startWorker({ maxConcurrentActivities: 0 });
      fragileRuns = 0;
      const caught = await client.startNew("PoisonCallsFragile", { instanceId: "caught", input: "true" });
      const uncaught = await client.startNew("PoisonCallsFragile", {
        instanceId: "uncaught",
        input: "false",
      });
      // Scheduled while nobody waits for an activity, so both requests go through the queue.
      for (const instanceId of [caught, uncaught]) {
        await waitFor(
          async () =>
            eventsOfType(await client.getHistory(instanceId), HistoryEventType.TaskScheduled).length > 0,
          15_000,
        );
      }

      for (let delivery = 1; delivery <= MAX_DEQUEUE_COUNT; delivery++) {
        const locked = [];
        for (let i = 0; i < 2; i++) {
          const workItem = await hub.lockNextActivityWorkItem(AbortSignal.timeout(15_000));
          expect(workItem?.message.event).toMatchObject({ Name: "PoisonFragile" });
          if (workItem) locked.push(workItem);
        }
        await Promise.all(locked.map((workItem) => hub.abandonActivityWorkItem(workItem)));
      }
      // Requests are only received while somebody waits for one; the poison ones never come out.
      const poisoned = async (): Promise<number> =>
        (await hub.poison.list(caught)).length + (await hub.poison.list(uncaught)).length;
      while ((await poisoned()) < 2) {
        expect(await hub.lockNextActivityWorkItem(AbortSignal.timeout(1000))).toBeUndefined();
      }

      const reason =
        `Activity 'PoisonFragile' was delivered ${POISON_DELIVERY} times without completing, more than the ` +
        `limit of ${MAX_DEQUEUE_COUNT}; the request was moved to the ${hub.resources.poisonTable} table.`;
      const caughtState = await client.waitForCompletion(caught, 15_000);
      expect(caughtState?.runtimeStatus).toBe("Completed");
      expect(JSON.parse(caughtState?.output ?? "null")).toBe(`caught: PoisonMessageError: ${reason}`);
      const uncaughtState = await client.waitForCompletion(uncaught, 15_000);
      expect(uncaughtState?.runtimeStatus).toBe("Failed");
      expect(uncaughtState?.output).toContain(reason);
      expect(fragileRuns).toBe(0);

      for (const instanceId of [caught, uncaught]) {
        const [failed] = eventsOfType(await client.getHistory(instanceId), HistoryEventType.TaskFailed);
        expect(failed.FailureDetails?.ErrorMessage).toBe(reason);
        const rows = await hub.poison.list(instanceId);
        expect(rows).toHaveLength(1);
        expect(rows[0]).toMatchObject({
          Queue: hub.resources.workItemQueue,
          DequeueCount: POISON_DELIVERY,
          Reason: reason,
        });
        expect(String(rows[0].Body)).toContain("PoisonFragile");
      }
    }, 40_000);
  });

  describe("unreadable messages", () => {
    it("moves them to the poison table under the unknown instance and keeps processing", async () => {
      scenario = await ScenarioHub.create();
      const { hub } = scenario;
      await scenario.startWorker();
      const { queueService } = testStorageClients();
      const controlQueue = hub.resources.controlQueues[1];
      const missingBlob = JSON.stringify({
        $type: "DurableTask.AzureStorage.MessageData",
        ActivityId: "00000000-0000-0000-0000-000000000000",
        TaskMessage: null,
        CompressedBlobName: "nobody/message-0123456789abcdef0123456789abcdef-EventRaised.json.gz",
        SequenceNumber: 0,
      });
      await queueService.getQueueClient(controlQueue).sendMessage("not json");
      await queueService.getQueueClient(controlQueue).sendMessage(missingBlob);
      await queueService.getQueueClient(hub.resources.workItemQueue).sendMessage('{"half": ');

      await waitFor(async () => (await hub.poison.list("")).length === 3, 15_000, "three poison rows");
      const rows = await hub.poison.list("");
      const byBody = new Map(rows.map((row) => [String(row.Body), row]));
      expect(byBody.get("not json")).toMatchObject({
        Queue: controlQueue,
        DequeueCount: 1,
        Reason: expect.stringMatching(/^Unreadable message: The message body is not MessageData JSON/),
      });
      expect(byBody.get(missingBlob)).toMatchObject({ Queue: controlQueue });
      expect(byBody.get('{"half": ')).toMatchObject({ Queue: hub.resources.workItemQueue });
      await waitFor(() => controlQueuesAreEmpty(hub), 10_000, "the control queues emptied");
      const workItems = await queueService.getQueueClient(hub.resources.workItemQueue).getProperties();
      expect(workItems.approximateMessagesCount).toBe(0);

      await expectHealthyOrchestrationCompletes(scenario, "healthy-after");
    }, 30_000);
  });
});
