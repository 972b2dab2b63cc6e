/**
 * A request whose entity batch committed but whose queue message was never deleted (the process
 * died in between) comes back; the entity must not apply it again. Each hub is made to deliver
 * every entity message again after its batch committed: the memory hub at once, the Azure
 * Storage hub to a fresh hub after its first process "crashed" before its deletes.
 */
import * as df from "../../src/index";
import type { EntityContext, OrchestrationContext } from "../../src/index";
import { TaskHubClient } from "../../src/engine/client";
import { DurableWorker } from "../../src/engine/worker";
import type { EntityIdPayload } from "../../src/protocol/actions";
import { isEntityInstanceId } from "../../src/protocol/entities";
import { HistoryEventType } from "../../src/protocol/history";
import { AzureStorageTaskHub } from "../../src/providers/azure-storage";
import type { StorageClients } from "../../src/providers/azure-storage/connection";
import { decodeMessageData } from "../../src/providers/azure-storage/message-data";
import { MemoryTaskHub } from "../../src/providers/memory";
import type { TaskHub, TaskMessage } from "../../src/providers/task-hub";
import { RegistryInvoker } from "../../src/testing/registry-invoker";
import { ScenarioHub, testStorageClients, waitFor } from "../providers/azure-storage/azure-test-hub";

df.app.entity("OnceCounter", (context: EntityContext<number>) => {
  const value = context.df.getState(() => 0) ?? 0;
  switch (context.df.operationName) {
    case "add": {
      const sum = value + (context.df.getInput<number>() ?? 0);
      context.df.setState(sum);
      context.df.return(sum);
      break;
    }
    case "forward":
      context.df.setState(value);
      context.df.signalEntity(new df.EntityId("OnceCounter", "target"), "add", context.df.getInput<number>());
      break;
  }
});

/** A call, a call inside a critical section, and a signal: answers, a lock grant and a release. */
df.app.orchestration("OnceCaller", function* (context: OrchestrationContext) {
  const counter = new df.EntityId("OnceCounter", "orch");
  const first: number = yield context.df.callEntity(counter, "add", 1);
  const lock = yield context.df.lock([counter]);
  const second: number = yield context.df.callEntity(counter, "add", 100);
  (lock as { release(): void }).release();
  context.df.signalEntity(counter, "add", 10);
  return [first, second];
});

const ORCH = { name: "oncecounter", key: "orch" };
const CLIENT = { name: "oncecounter", key: "client" };
const TARGET = { name: "oncecounter", key: "target" };

/** What the scenario applies before the redeliveries: 111 on orch, 1000 on client, 5 on target. */
async function runScenario(client: TaskHubClient): Promise<string> {
  const instanceId = await client.startNew("OnceCaller");
  await client.entities.signal(CLIENT, "add", "1000");
  await client.entities.signal(CLIENT, "forward", "5");
  const done = await client.waitForCompletion(instanceId, 30_000);
  expect(done?.runtimeStatus).toBe("Completed");
  // At least: applying twice would overshoot, which the caller's checks then show.
  const reaches = (entity: EntityIdPayload, value: number) => async () =>
    Number(await stateOf(client, entity)) >= value;
  await waitFor(reaches(TARGET, 5), 20_000, "the forwarded signal");
  await waitFor(reaches(ORCH, 111), 20_000, "the orchestration's signal");
  await waitFor(reaches(CLIENT, 1000), 20_000, "the client's signal");
  return instanceId;
}

async function stateOf(client: TaskHubClient, entity: EntityIdPayload): Promise<unknown> {
  const { state } = await client.entities.readState(entity);
  return state === undefined ? undefined : (JSON.parse(state) as unknown);
}

/** Messages entities send to orchestrations (answers and lock grants), counted at each commit. */
function countEntityAnswers(hub: TaskHub, answers: TaskMessage[]): void {
  const complete = hub.completeOrchestrationWorkItem.bind(hub);
  hub.completeOrchestrationWorkItem = (workItem, checkpoint) => {
    if (isEntityInstanceId(workItem.instanceId)) {
      answers.push(
        ...checkpoint.orchestratorMessages.filter(
          (m) =>
            !isEntityInstanceId(m.instance.instanceId) && m.event.EventType === HistoryEventType.EventRaised,
        ),
      );
    }
    return complete(workItem, checkpoint);
  };
}

async function expectAppliedOnce(client: TaskHubClient, instanceId: string, answers: TaskMessage[]) {
  expect(await stateOf(client, ORCH)).toBe(111);
  expect(await stateOf(client, CLIENT)).toBe(1000);
  expect(await stateOf(client, TARGET)).toBe(5);
  expect((await client.getInstance(instanceId))?.output).toBe(JSON.stringify([1, 101]));
  // Two call answers and one lock grant, each sent once.
  expect(answers.filter((m) => m.instance.instanceId === instanceId)).toHaveLength(3);
}

describe("entity requests delivered again after their batch committed", () => {
  it("are applied once on the memory hub", async () => {
    const hub = new MemoryTaskHub();
    const answers: TaskMessage[] = [];
    countEntityAnswers(hub, answers);
    // Every message an entity batch consumed comes back once after the commit.
    const redelivered = new Set<string>();
    let redeliveries = 0;
    const complete = hub.completeOrchestrationWorkItem.bind(hub);
    hub.completeOrchestrationWorkItem = async (workItem, checkpoint) => {
      await complete(workItem, checkpoint);
      if (!isEntityInstanceId(workItem.instanceId)) return;
      for (const message of workItem.messages) {
        const text = JSON.stringify(message);
        if (redelivered.has(text)) continue;
        redelivered.add(text);
        redeliveries++;
        await hub.sendMessage(message);
      }
    };
    const errors: string[] = [];
    const worker = new DurableWorker(hub, new RegistryInvoker(), {
      onError: (error, context) => errors.push(`${context}: ${String(error)}`),
    });
    await worker.start();
    try {
      const client = new TaskHubClient(hub);
      const instanceId = await runScenario(client);
      await hub.whenIdle();
      expect(redeliveries).toBeGreaterThanOrEqual(7);
      await expectAppliedOnce(client, instanceId, answers);
      expect(errors).toEqual([]);
    } finally {
      await worker.stop();
    }
  }, 30_000);

  it("are applied once on Azure Storage by a fresh hub after a crash before the deletes", async () => {
    const kept: KeptMessage[] = [];
    const scenario = await ScenarioHub.create({
      partitionCount: 1,
      clients: clientsThatKeepEntityMessages(kept),
    });
    let fresh: AzureStorageTaskHub | undefined;
    try {
      const answers: TaskMessage[] = [];
      countEntityAnswers(scenario.hub, answers);
      const crashed = await scenario.startWorker();
      const instanceId = await runScenario(scenario.client);
      // The process goes; the messages its deletes missed are still in the queue.
      await crashed.stop();
      expect(kept.length).toBeGreaterThanOrEqual(7);
      // Their visibility timeout ends (made to end now, rather than in five minutes).
      const raw = testStorageClients();
      await Promise.all(
        kept.map((m) =>
          raw.queueService.getQueueClient(m.queue).updateMessage(m.messageId, m.popReceipt, undefined, 0),
        ),
      );

      const deleted = new Set<string>();
      fresh = new AzureStorageTaskHub({
        clients: clientsRecordingDeletes(deleted),
        hubName: scenario.hub.name,
        partitionCount: 1,
        maxQueuePollingIntervalMs: 100,
        onError: (error, context) => scenario.errors.push(`fresh hub: ${context}: ${String(error)}`),
      });
      countEntityAnswers(fresh, answers);
      const restarted = await scenario.startWorker({}, fresh);
      await waitFor(
        () => kept.every((m) => deleted.has(m.messageId)),
        30_000,
        "the fresh hub to take and delete every message the crashed one left",
      );
      await restarted.stop();
      await expectAppliedOnce(new TaskHubClient(fresh), instanceId, answers);
      expect(scenario.errors.filter((e) => !e.includes(CRASH))).toEqual([]);
    } finally {
      await fresh?.stop();
      await scenario.dispose();
    }
  }, 90_000);
});

const CRASH = "simulated crash before the delete";

interface KeptMessage {
  queue: string;
  messageId: string;
  popReceipt: string;
}

/**
 * Clients whose deletes of messages for entities fail, as if the process died after the batch
 * committed and before its deletes; the messages they leave behind are recorded in `kept`.
 */
function clientsThatKeepEntityMessages(kept: KeptMessage[]): StorageClients {
  const clients = testStorageClients();
  const getQueueClient = clients.queueService.getQueueClient.bind(clients.queueService);
  clients.queueService.getQueueClient = (name) => {
    const queue = getQueueClient(name);
    const texts = new Map<string, string>();
    const send = queue.sendMessage.bind(queue);
    queue.sendMessage = async (text, options) => {
      const response = await send(text, options);
      texts.set(response.messageId, text);
      return response;
    };
    const receive = queue.receiveMessages.bind(queue);
    queue.receiveMessages = async (options) => {
      const response = await receive(options);
      for (const item of response.receivedMessageItems) texts.set(item.messageId, item.messageText);
      return response;
    };
    const remove = queue.deleteMessage.bind(queue);
    queue.deleteMessage = (messageId, popReceipt, options) => {
      const text = texts.get(messageId);
      if (text !== undefined && isForEntity(text)) {
        kept.push({ queue: name, messageId, popReceipt });
        return Promise.reject(new Error(CRASH));
      }
      return remove(messageId, popReceipt, options);
    };
    return queue;
  };
  return clients;
}

function isForEntity(text: string): boolean {
  const decoded = decodeMessageData(text);
  return decoded.kind === "message" && isEntityInstanceId(decoded.message.instance.instanceId);
}

/** Clients that note the id of every queue message they delete. */
function clientsRecordingDeletes(deleted: Set<string>): StorageClients {
  const clients = testStorageClients();
  const getQueueClient = clients.queueService.getQueueClient.bind(clients.queueService);
  clients.queueService.getQueueClient = (name) => {
    const queue = getQueueClient(name);
    const remove = queue.deleteMessage.bind(queue);
    queue.deleteMessage = async (messageId, popReceipt, options) => {
      const response = await remove(messageId, popReceipt, options);
      deleted.add(messageId);
      return response;
    };
    return queue;
  };
  return clients;
}
