/**
 * Queues deliver at least once and only roughly in order. These scenarios deliver messages
 * twice, early, or again after a "crash", on the Azure Storage task hub with the real engine,
 * and check that every orchestration still sees each result once and ends with the right value.
 */
import * as df from "../../../src/index";
import { ActivityRunner } from "../../../src/engine/activity-runner";
import { TaskHubClient } from "../../../src/engine/client";
import { HistoryEventType, type HistoryEvent } from "../../../src/protocol/history";
import { AzureStorageTaskHub, type AzureStorageTaskHubOptions } from "../../../src/providers/azure-storage";
import type { ActivityWorkItem, TaskMessage } from "../../../src/providers/task-hub";
import { RegistryInvoker } from "../../../src/testing/registry-invoker";
import { ScenarioHub, delay, eventsOfType, testStorageClients, waitFor } from "./azure-test-hub";

const activityRuns = new Map<string, number>();

function countRun(key: string): void {
  activityRuns.set(key, (activityRuns.get(key) ?? 0) + 1);
}

df.app.orchestration("DeliveryDoubleThenWait", function* (context) {
  const doubled: number = yield context.df.callActivity("DeliveryDouble", context.df.getInput<number>());
  const extra: number = yield context.df.waitForExternalEvent("Extra");
  return doubled + extra;
});

df.app.activity("DeliveryDouble", {
  handler: (n: number) => {
    countRun("double");
    return n * 2;
  },
});

df.app.orchestration("DeliveryTwoSteps", function* (context) {
  const first: string = yield context.df.callActivity("DeliveryStep", "a");
  const second: string = yield context.df.callActivity("DeliveryStep", "b");
  return [first, second];
});

df.app.activity("DeliveryStep", { handler: (step: string) => step.toUpperCase() });

df.app.orchestration("DeliveryRunsOnce", function* (context) {
  const result: string = yield context.df.callActivity("DeliveryCounted", context.df.instanceId);
  return result;
});

df.app.activity("DeliveryCounted", {
  handler: (instanceId: string) => {
    countRun(instanceId);
    return `done ${instanceId}`;
  },
});

/** A host that dies the first time it has run an activity, before it could send the result. */
class CrashesAfterFirstActivity extends AzureStorageTaskHub {
  crashes = 0;

  override async completeActivityWorkItem(workItem: ActivityWorkItem, response: TaskMessage): Promise<void> {
    if (this.crashes === 0) {
      this.crashes++;
      // Nobody deletes the request: it comes back after the abandon back-off, as after a crash.
      await this.abandonActivityWorkItem(workItem);
      return;
    }
    await super.completeActivityWorkItem(workItem, response);
  }
}

function runActivity(hub: AzureStorageTaskHub, workItem: ActivityWorkItem): Promise<TaskMessage> {
  return new ActivityRunner(new RegistryInvoker(), hub.clock).run(workItem.message);
}

async function lockActivity(hub: AzureStorageTaskHub): Promise<ActivityWorkItem> {
  const workItem = await hub.lockNextActivityWorkItem(AbortSignal.timeout(15_000));
  if (!workItem) throw new Error("No activity request arrived.");
  return workItem;
}

/** True once every message sent to the instance's control queue has been received and deleted. */
async function controlQueueIsEmpty(hub: AzureStorageTaskHub, index: number): Promise<boolean> {
  const queue = testStorageClients().queueService.getQueueClient(hub.resources.controlQueues[index]);
  return (await queue.getProperties()).approximateMessagesCount === 0;
}

/** True once the poller has taken every visible message of the queue (held or consumed). */
async function controlQueueIsTaken(hub: AzureStorageTaskHub, index: number): Promise<boolean> {
  const queue = testStorageClients().queueService.getQueueClient(hub.resources.controlQueues[index]);
  return (await queue.peekMessages({ numberOfMessages: 32 })).peekedMessageItems.length === 0;
}

function count(history: readonly HistoryEvent[], type: HistoryEventType): number {
  return history.filter((e) => e.EventType === type).length;
}

describe("delivery on Azure Storage", () => {
  let scenario: ScenarioHub;

  beforeEach(() => activityRuns.clear());

  afterEach(async () => {
    await scenario.dispose();
  });

  it("takes an activity result once when it is delivered twice, and ignores a start sent again", async () => {
    // One partition, so the test knows which queue to watch.
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    const { hub, client } = scenario;
    await scenario.startWorker({ maxConcurrentActivities: 0 });
    const instanceId = await client.startNew("DeliveryDoubleThenWait", { instanceId: "dup", input: "20" });

    const workItem = await lockActivity(hub);
    const response = await runActivity(hub, workItem);
    await hub.completeActivityWorkItem(workItem, response);
    await hub.sendMessage(response);
    await waitFor(
      async () => count(await client.getHistory(instanceId), HistoryEventType.TaskCompleted) > 0,
      10_000,
      "the activity result in history",
    );
    await waitFor(() => controlQueueIsEmpty(hub, 0), 10_000, "both copies consumed");

    // Again, long after the first copy was committed, with the start message for good measure.
    const [started] = eventsOfType(await client.getHistory(instanceId), HistoryEventType.ExecutionStarted);
    await hub.sendMessage(response);
    await hub.sendMessage({
      event: started,
      instance: { instanceId, executionId: started.OrchestrationInstance.ExecutionId },
    });
    await waitFor(() => controlQueueIsEmpty(hub, 0), 10_000, "the late copies consumed");
    expect((await client.getInstance(instanceId))?.runtimeStatus).toBe("Running");

    await client.raiseEvent(instanceId, "Extra", "2");
    const state = await client.waitForCompletion(instanceId, 10_000);
    expect({ status: state?.runtimeStatus, output: state?.output }).toEqual({
      status: "Completed",
      output: "42",
    });
    const history = await client.getHistory(instanceId);
    expect(count(history, HistoryEventType.ExecutionStarted)).toBe(1);
    expect(count(history, HistoryEventType.TaskScheduled)).toBe(1);
    expect(count(history, HistoryEventType.TaskCompleted)).toBe(1);
    expect(count(history, HistoryEventType.ExecutionCompleted)).toBe(1);
    expect(activityRuns.get("double")).toBe(1);
    expect(scenario.errors).toEqual([]);
  }, 40_000);

  it("keeps a result that arrives before its task is scheduled and uses it once the task is", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    const { hub, client } = scenario;
    await scenario.startWorker({ maxConcurrentActivities: 0 });
    const instanceId = await client.startNew("DeliveryTwoSteps", { instanceId: "early" });

    const first = await lockActivity(hub);
    expect(first.message.event).toMatchObject({ EventId: 0, Name: "DeliveryStep" });
    const executionId = first.message.instance.executionId;
    // The answer to the second step, which the orchestration has not scheduled yet.
    const early = earlySecondResult(instanceId, executionId);
    await hub.sendMessage(early);
    await waitFor(() => controlQueueIsTaken(hub, 0), 10_000, "the early result received");
    // Time for the episode that sees the early result (and must not apply it) to commit.
    await delay(1000);
    expect(count(await client.getHistory(instanceId), HistoryEventType.TaskCompleted)).toBe(0);
    expect(await controlQueueIsEmpty(hub, 0)).toBe(false);

    await hub.completeActivityWorkItem(first, await runActivity(hub, first));
    const second = await lockActivity(hub);
    expect(second.message.event).toMatchObject({ EventId: 1, Name: "DeliveryStep" });
    // The real result comes after the early one, which was held back and is applied first.
    await hub.completeActivityWorkItem(second, await runActivity(hub, second));

    const state = await client.waitForCompletion(instanceId, 10_000);
    expect(state?.runtimeStatus).toBe("Completed");
    expect(JSON.parse(state?.output ?? "null")).toEqual(["A", "early B"]);
    const history = await client.getHistory(instanceId);
    expect(count(history, HistoryEventType.TaskCompleted)).toBe(2);
    await waitFor(() => controlQueueIsEmpty(hub, 0), 10_000, "every copy consumed");
    expect(scenario.errors).toEqual([]);
  }, 40_000);

  it("applies an early result as soon as its task is scheduled, without waiting for another message", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    const { hub, client } = scenario;
    await scenario.startWorker({ maxConcurrentActivities: 0 });
    const instanceId = await client.startNew("DeliveryTwoSteps", { instanceId: "early-alone" });

    const first = await lockActivity(hub);
    const early = earlySecondResult(instanceId, first.message.instance.executionId);
    await hub.sendMessage(early);
    await waitFor(() => controlQueueIsTaken(hub, 0), 10_000, "the early result received");
    await delay(1000);

    // Completing step one schedules step two; the held result answers it, and the second
    // activity never has to run.
    await hub.completeActivityWorkItem(first, await runActivity(hub, first));
    const state = await client.waitForCompletion(instanceId, 10_000);
    expect(state?.runtimeStatus).toBe("Completed");
    expect(JSON.parse(state?.output ?? "null")).toEqual(["A", "early B"]);
    expect(scenario.errors).toEqual([]);
  }, 40_000);

  it("repairs the status row a host left behind when it died between the history and the status write", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    const { hub, client } = scenario;
    const deadHost = await scenario.startWorker();
    const instanceId = await client.startNew("DeliveryTwoSteps", { instanceId: "repair" });
    expect((await client.waitForCompletion(instanceId, 10_000))?.runtimeStatus).toBe("Completed");
    const history = await client.getHistory(instanceId);
    await deadHost.stop();

    // What the dead host left: the history says Completed, the row still says Running.
    const instances = testStorageClients().table(hub.resources.instancesTable);
    const row = await instances.getEntity<Record<string, unknown>>(instanceId, "");
    const { Output: _output, CompletedTime: _completed, ...running } = row;
    await instances.updateEntity(
      { ...running, partitionKey: instanceId, rowKey: "", RuntimeStatus: "Running" },
      "Replace",
    );
    expect((await client.getInstance(instanceId))?.runtimeStatus).toBe("Running");

    // Another host takes over, and the dead one's last inbound message, never deleted, comes back.
    await scenario.startWorker({}, scenario.sibling());
    const [lastResult] = eventsOfType(history, HistoryEventType.TaskCompleted).slice(-1);
    const executionId = eventsOfType(history, HistoryEventType.ExecutionStarted)[0].OrchestrationInstance
      .ExecutionId;
    await hub.sendMessage({ instance: { instanceId, executionId }, event: lastResult });

    await waitFor(
      async () => (await client.getInstance(instanceId))?.runtimeStatus === "Completed",
      10_000,
      "the status row repaired",
    );
    const state = await client.getInstance(instanceId);
    expect(JSON.parse(state?.output ?? "null")).toEqual(["A", "B"]);
    expect(state?.completedTime).not.toBeNull();
    expect(await client.getHistory(instanceId)).toEqual(history);
    expect(scenario.errors).toEqual([]);
  }, 40_000);

  it("runs an activity again when its host dies before reporting, and completes the orchestration once", async () => {
    let hub: CrashesAfterFirstActivity | undefined;
    scenario = await ScenarioHub.create({}, (options: AzureStorageTaskHubOptions) => {
      hub = new CrashesAfterFirstActivity(options);
      return hub;
    });
    const { client } = scenario;
    await scenario.startWorker();
    const instanceId = await client.startNew("DeliveryRunsOnce", { instanceId: "at-least-once" });

    const state = await client.waitForCompletion(instanceId, 15_000);
    expect(state?.runtimeStatus).toBe("Completed");
    expect(JSON.parse(state?.output ?? "null")).toBe("done at-least-once");
    expect(hub?.crashes).toBe(1);
    expect(activityRuns.get(instanceId)).toBe(2);
    const history = await client.getHistory(instanceId);
    expect(count(history, HistoryEventType.TaskScheduled)).toBe(1);
    expect(count(history, HistoryEventType.TaskCompleted)).toBe(1);
    expect(count(history, HistoryEventType.ExecutionCompleted)).toBe(1);
    expect(scenario.errors).toEqual([]);
  }, 30_000);

  it("starts an instance whose worker wrote its row before the client's Pending row landed", async () => {
    scenario = await ScenarioHub.create();
    // The client is another process's: a start from the owning process itself has its worker
    // wait for the Pending row (a fresh start), so the race cannot happen there.
    const client = new TaskHubClient(scenario.sibling());
    const instances = (
      client.hub as unknown as { instances: { writePending: (...args: unknown[]) => Promise<unknown> } }
    ).instances;
    const writePending = instances.writePending.bind(instances);
    // The client's row write waits until the worker has run the start: the race a busy host loses.
    instances.writePending = async (...args) => {
      await waitFor(
        async () => (await scenario.client.getInstance("raced"))?.runtimeStatus === "Running",
        10_000,
      );
      return writePending(...args);
    };
    await scenario.startWorker();

    const started = client.startNew("DeliveryDoubleThenWait", { instanceId: "raced", input: "2" });
    await expect(started).resolves.toBe("raced");
    await scenario.client.raiseEvent("raced", "Extra", "1");
    expect((await scenario.client.waitForCompletion("raced", 10_000))?.output).toBe("5");
    expect(scenario.errors).toEqual([]);
  }, 30_000);
});

/** A result for the second step of DeliveryTwoSteps, sent before that step is scheduled. */
function earlySecondResult(instanceId: string, executionId: string | null): TaskMessage {
  return {
    instance: { instanceId, executionId },
    event: {
      EventType: HistoryEventType.TaskCompleted,
      EventId: -1,
      IsPlayed: false,
      Timestamp: new Date().toISOString(),
      TaskScheduledId: 1,
      Result: JSON.stringify("early B"),
    },
  };
}
