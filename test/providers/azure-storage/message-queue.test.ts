import { randomUUID } from "node:crypto";
import { HistoryEventType } from "../../../src/protocol/history";
import { storageClientsFromConnectionString } from "../../../src/providers/azure-storage/connection";
import { LargePayloadStore } from "../../../src/providers/azure-storage/large-payloads";
import { MessageQueue } from "../../../src/providers/azure-storage/message-queue";
import type { TaskMessage } from "../../../src/providers/task-hub";
import { testStorageConnectionString } from "../../support/test-storage";

/** Fails the first download as a storage outage would, then works. */
class FlakyPayloads extends LargePayloadStore {
  failures = 1;

  override async downloadMessage(blobName: string): Promise<string> {
    if (this.failures-- > 0) throw Object.assign(new Error("Service unavailable"), { statusCode: 503 });
    return super.downloadMessage(blobName);
  }
}

const clients = storageClientsFromConnectionString(testStorageConnectionString());
const name = `mq${randomUUID().replace(/-/g, "").slice(0, 12)}`;
const payloads = new FlakyPayloads(clients.blobService.getContainerClient(`${name}-largemessages`));
const queue = new MessageQueue(clients.queueService.getQueueClient(`${name}-control-00`), payloads);

function bigEvent(instanceId: string): TaskMessage {
  return {
    instance: { instanceId, executionId: "e1" },
    event: {
      EventType: HistoryEventType.EventRaised,
      EventId: -1,
      IsPlayed: false,
      Timestamp: new Date().toISOString(),
      Name: "big",
      Input: JSON.stringify("x".repeat(100_000)),
    },
  };
}

beforeAll(() => queue.create());
afterAll(async () => {
  await queue.delete();
  await clients.blobService.getContainerClient(`${name}-largemessages`).deleteIfExists();
});

describe("reading large messages", () => {
  it("marks a message whose blob could not be downloaded as worth retrying, and reads it next time", async () => {
    const sent = bigEvent("flaky");
    await queue.send(sent, Date.now());

    const [first] = await queue.receive(1, 30_000);
    expect(first.message).toBeUndefined();
    expect(first.retryable).toBe(true);
    await queue.setVisibility(first, 0);

    const [second] = await queue.receive(1, 30_000);
    expect(second.message?.event).toEqual(sent.event);
    await queue.remove(second);
  });

  it("does not retry a message whose blob is gone", async () => {
    await queue.send(bigEvent("gone"), Date.now());
    await payloads.deleteInstanceBlobs("gone", "gone");

    const [received] = await queue.receive(1, 30_000);
    expect(received.message).toBeUndefined();
    expect(received.retryable).toBe(false);
    await queue.remove(received);
  });
});
