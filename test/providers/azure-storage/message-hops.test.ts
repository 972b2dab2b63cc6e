/**
 * A delayed message longer than a queue can hide it comes up early and goes round again
 * (`maxMessageDelayMs`). It goes round through the hub's send to its instance, so the poller of
 * that queue learns when it shows next (docs/azure-storage.md, "Timers").
 */
import { randomUUID } from "node:crypto";
import { HistoryEventType } from "../../../src/protocol/history";
import { systemClock } from "../../../src/providers/clock";
import { storageClientsFromConnectionString } from "../../../src/providers/azure-storage/connection";
import { LargePayloadStore } from "../../../src/providers/azure-storage/large-payloads";
import { MessageQueue } from "../../../src/providers/azure-storage/message-queue";
import { PoisonTable } from "../../../src/providers/azure-storage/poison-table";
import { ReceivedMessageScreen } from "../../../src/providers/azure-storage/received-message-screen";
import type { TaskMessage } from "../../../src/providers/task-hub";
import { testStorageConnectionString } from "../../support/test-storage";
import { waitFor } from "../../support/wait-for";

const clients = storageClientsFromConnectionString(testStorageConnectionString());
const name = `hop${randomUUID().replace(/-/g, "").slice(0, 12)}`;
const payloads = new LargePayloadStore(clients.blobService.getContainerClient(`${name}-largemessages`));
const queue = new MessageQueue(clients.queueService.getQueueClient(`${name}-control-00`), payloads, 1000);

function timerFired(instanceId: string, fireAt: string): TaskMessage {
  return {
    instance: { instanceId, executionId: "e1" },
    event: {
      EventType: HistoryEventType.TimerFired,
      EventId: -1,
      IsPlayed: false,
      Timestamp: new Date().toISOString(),
      TimerId: 0,
      FireAt: fireAt,
    },
    visibleAt: fireAt,
  };
}

beforeAll(() => queue.create());
afterAll(() => queue.delete());

describe("a message delayed longer than the queue can hide it", () => {
  it("goes round again through the send to its instance, and is not taken before its time", async () => {
    const resent: TaskMessage[] = [];
    const errors: unknown[] = [];
    const screen = new ReceivedMessageScreen({
      poison: new PoisonTable(clients.table(`${name}Poison`), payloads),
      maxDequeueCount: 20,
      clock: systemClock,
      sendToInstance: async (message) => void resent.push(message),
      reportError: (error) => errors.push(error),
    });
    const fireAt = new Date(Date.now() + 10_000).toISOString();
    const { hiddenForMs } = await queue.send(timerFired("hop-instance", fireAt), Date.now());
    expect(hiddenForMs).toBe(1000);

    let accepted: unknown[] = [];
    await waitFor(
      async () => {
        const received = await queue.receive(32, 30_000);
        if (received.length === 0) return false;
        accepted = await screen.screenControl(queue, received, () => false);
        return true;
      },
      5000,
      "the first hop",
    );

    expect(accepted).toEqual([]);
    expect(resent.map((m) => m.visibleAt)).toEqual([fireAt]);
    expect((await queue.client.getProperties()).approximateMessagesCount).toBe(0);
    expect(errors).toEqual([]);
  });
});
