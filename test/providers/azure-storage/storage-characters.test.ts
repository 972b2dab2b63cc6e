/**
 * Characters that are valid JSON but that a storage service mishandles when sent raw, through
 * the provider's own table and queue code against the run's Azurite: each value comes back as
 * written, and the table or queue keeps working for everything after it.
 */
import { randomUUID } from "node:crypto";
import { HistoryEventType, type HistoryEvent } from "../../../src/protocol/history";
import { storageClientsFromConnectionString } from "../../../src/providers/azure-storage/connection";
import { HistoryTable } from "../../../src/providers/azure-storage/history-table";
import { LargePayloadStore } from "../../../src/providers/azure-storage/large-payloads";
import { MessageQueue } from "../../../src/providers/azure-storage/message-queue";
import type { TaskMessage } from "../../../src/providers/task-hub";
import { executionStartedEvent, orchestratorStartedEvent } from "../../support/messages";
import { testStorageConnectionString } from "../../support/test-storage";

const clients = storageClientsFromConnectionString(testStorageConnectionString());
const name = `chars${randomUUID().replace(/-/g, "").slice(0, 12)}`;
const payloads = new LargePayloadStore(clients.blobService.getContainerClient(`${name}-largemessages`));
const history = new HistoryTable(clients.table(`${name}History`), payloads);
const queue = new MessageQueue(clients.queueService.getQueueClient(`${name}-control-00`), payloads);

/** Every odd character class in one string: the ones JSON.stringify leaves raw among them. */
const ODD_TEXT =
  "\u0000\u0001\u001f\u007f\u0085\u2028\u2029\ufffe\uffff\ud800\udfff\ud83d\ude00\ufeff<&>\"'\\";

function startEvents(instanceId: string, input: string): HistoryEvent[] {
  // The OrchestrationInstance column is JSON with braces before the input: the shape that made
  // Azurite apply the first rows of the batch before failing on the line separator.
  return [
    orchestratorStartedEvent(),
    executionStartedEvent({ instanceId, executionId: "e1", input }),
    orchestratorStartedEvent(),
  ];
}

beforeAll(async () => {
  await clients.tableService.createTable(`${name}History`);
  await queue.create();
});

afterAll(async () => {
  await clients.tableService.deleteTable(`${name}History`);
  await queue.delete();
  await clients.blobService.getContainerClient(`${name}-largemessages`).deleteIfExists();
});

describe("values a storage service mishandles when sent raw", () => {
  it("commits a multi-row history holding U+2028 and U+2029, and later transactions still commit", async () => {
    const instanceId = `odd-${randomUUID()}`;
    const events = startEvents(instanceId, ODD_TEXT);
    await history.commit(
      instanceId,
      { executionId: "e1", events, newEventCount: events.length },
      { events: [], etag: undefined, executionId: undefined },
      Date.now(),
    );
    const loaded = await history.load(instanceId);
    const started = loaded.events.find((event) => event.EventType === HistoryEventType.ExecutionStarted);
    expect(started && "Input" in started ? started.Input : undefined).toBe(JSON.stringify(ODD_TEXT));

    const plainId = `plain-${randomUUID()}`;
    const plain = startEvents(plainId, "plain");
    await history.commit(
      plainId,
      { executionId: "e1", events: plain, newEventCount: plain.length },
      { events: [], etag: undefined, executionId: undefined },
      Date.now(),
    );
    expect((await history.load(plainId)).events).toHaveLength(3);
  });

  it("sends and receives a queue message holding U+FFFE and U+FFFF, and the queue serves the next one", async () => {
    const message = (input: string): TaskMessage => ({
      instance: { instanceId: `q-${randomUUID()}`, executionId: "e1" },
      event: {
        EventType: HistoryEventType.EventRaised,
        EventId: -1,
        IsPlayed: false,
        Timestamp: new Date().toISOString(),
        Name: `odd${ODD_TEXT}`,
        Input: input,
      },
    });
    const odd = message(JSON.stringify(ODD_TEXT));
    const plain = message(JSON.stringify("plain"));
    await queue.send(odd, Date.now());
    await queue.send(plain, Date.now());

    const received = [...(await queue.receive(32, 30_000))];
    if (received.length < 2) received.push(...(await queue.receive(32, 30_000)));
    expect(received.map((item) => item.error)).toEqual([undefined, undefined]);
    const byInstance = new Map(received.map((item) => [item.message?.instance.instanceId, item.message]));
    expect(byInstance.get(odd.instance.instanceId)?.event).toEqual(odd.event);
    expect(byInstance.get(plain.instance.instanceId)?.event).toEqual(plain.event);
    await Promise.all(received.map((item) => queue.remove(item)));
  });
});
