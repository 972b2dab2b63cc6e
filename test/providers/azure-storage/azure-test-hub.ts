/**
 * Shared set-up for the scenario tests that run the real engine on an Azure Storage task hub in
 * the test run's Azurite: a hub of its own per test, workers on it, and a few waiting and
 * payload helpers.
 */
import { createHash, randomUUID } from "node:crypto";
import { TaskHubClient } from "../../../src/engine/client";
import type { FunctionInvoker } from "../../../src/engine/invoker";
import { DurableWorker, type WorkerOptions } from "../../../src/engine/worker";
import type { HistoryEvent } from "../../../src/protocol/history";
import {
  AzureStorageTaskHub,
  storageClientsFromConnectionString,
  type AzureStorageTaskHubOptions,
} from "../../../src/providers/azure-storage";
import type { StorageClients } from "../../../src/providers/azure-storage/connection";
import { RegistryInvoker } from "../../../src/testing/registry-invoker";
import { testStorageConnectionString } from "../../support/test-storage";

export { delay, waitFor } from "../../support/wait-for";

export type ScenarioHubOptions = Partial<Omit<AzureStorageTaskHubOptions, "hubName">>;

/** A hub name no other test uses: tests share one Azurite. */
export function scenarioHubName(prefix = "Scn"): string {
  return `${prefix}${randomUUID().replace(/-/g, "").slice(0, 12)}`;
}

export function testStorageClients(): StorageClients {
  return storageClientsFromConnectionString(testStorageConnectionString());
}

/** One request a hub made to a queue, as `recordingStorageClients` saw it. */
export type QueueCall =
  | { kind: "send" | "update"; queue: string; visibilityTimeoutS: number }
  | {
      kind: "receive";
      queue: string;
      requested: number;
      received: number;
      visibilityTimeoutS: number;
      /** When the request went out (epoch milliseconds). */
      atMs: number;
    };

/**
 * Clients whose queue requests are recorded in `calls`, for tests of settings whose only
 * visible effect is the requests themselves (batch sizes, visibility timeouts, delays).
 */
export function recordingStorageClients(calls: QueueCall[]): StorageClients {
  const clients = testStorageClients();
  const getQueueClient = clients.queueService.getQueueClient.bind(clients.queueService);
  clients.queueService.getQueueClient = (name) => {
    const queue = getQueueClient(name);
    const send = queue.sendMessage.bind(queue);
    queue.sendMessage = (text, options) => {
      calls.push({ kind: "send", queue: name, visibilityTimeoutS: options?.visibilityTimeout ?? 0 });
      return send(text, options);
    };
    const receive = queue.receiveMessages.bind(queue);
    queue.receiveMessages = async (options) => {
      const atMs = Date.now();
      const response = await receive(options);
      calls.push({
        kind: "receive",
        queue: name,
        requested: options?.numberOfMessages ?? 1,
        received: response.receivedMessageItems.length,
        visibilityTimeoutS: options?.visibilityTimeout ?? 30,
        atMs,
      });
      return response;
    };
    const update = queue.updateMessage.bind(queue);
    queue.updateMessage = (messageId, popReceipt, text, visibilityTimeout, options) => {
      calls.push({ kind: "update", queue: name, visibilityTimeoutS: visibilityTimeout ?? 0 });
      return update(messageId, popReceipt, text, visibilityTimeout, options);
    };
    return queue;
  };
  return clients;
}

/**
 * One task hub and the workers a test starts on it. Background errors are collected rather
 * than printed, so a test can show them when it fails and the run log stays readable.
 */
export class ScenarioHub {
  readonly client: TaskHubClient;
  private readonly workers: DurableWorker[] = [];
  private readonly siblings: AzureStorageTaskHub[] = [];

  private constructor(
    readonly hub: AzureStorageTaskHub,
    private readonly options: AzureStorageTaskHubOptions,
    readonly errors: string[],
  ) {
    this.client = new TaskHubClient(hub);
  }

  /** Creates the hub's storage; polling is fast so tests do not wait out idle back-offs. */
  static async create(
    options: ScenarioHubOptions = {},
    build: (options: AzureStorageTaskHubOptions) => AzureStorageTaskHub = (o) => new AzureStorageTaskHub(o),
  ): Promise<ScenarioHub> {
    const errors: string[] = [];
    const full: AzureStorageTaskHubOptions = {
      clients: testStorageClients(),
      hubName: scenarioHubName(),
      maxQueuePollingIntervalMs: 100,
      onError: (error, context) => errors.push(`hub: ${context}: ${messageOf(error)}`),
      ...options,
    };
    const scenario = new ScenarioHub(build(full), full, errors);
    await scenario.hub.createIfNotExists();
    return scenario;
  }

  /** Starts a worker on the hub, running this file's registered functions unless told otherwise. */
  async startWorker(
    options: WorkerOptions = {},
    hub: AzureStorageTaskHub = this.hub,
    invoker: FunctionInvoker = new RegistryInvoker(),
  ): Promise<DurableWorker> {
    const worker = new DurableWorker(hub, invoker, {
      onError: (error, context) => this.errors.push(`worker: ${context}: ${messageOf(error)}`),
      ...options,
    });
    this.workers.push(worker);
    await worker.start();
    return worker;
  }

  /** Another hub object on the same storage, as a second process would have. */
  sibling(options: ScenarioHubOptions = {}): AzureStorageTaskHub {
    const hub = new AzureStorageTaskHub({
      ...this.options,
      onError: (error, context) => this.errors.push(`sibling hub: ${context}: ${messageOf(error)}`),
      ...options,
    });
    this.siblings.push(hub);
    return hub;
  }

  async dispose(): Promise<void> {
    // All at once: a worker still running when another one stops their shared hub spins on it.
    await Promise.all(this.workers.map((worker) => worker.stop()));
    await Promise.all(this.siblings.map((hub) => hub.stop()));
    await this.hub.deleteHub();
  }
}

export function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/**
 * Text of exactly `length` characters that gzip cannot shrink much, the same for the same
 * seed, so a test can rebuild an activity's multi-megabyte result to compare with.
 */
export function incompressibleText(length: number, seed: string): string {
  const chunks: string[] = [];
  let produced = 0;
  let block = createHash("sha256").update(seed).digest();
  while (produced < length) {
    block = createHash("sha256").update(block).digest();
    const chunk = block.toString("base64url");
    chunks.push(chunk);
    produced += chunk.length;
  }
  return chunks.join("").slice(0, length);
}

/** The events of a history of one type, narrowed to that type's shape. */
export function eventsOfType<T extends HistoryEvent["EventType"]>(
  history: readonly HistoryEvent[],
  type: T,
): Extract<HistoryEvent, { EventType: T }>[] {
  return history.filter((e): e is Extract<HistoryEvent, { EventType: T }> => e.EventType === type);
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
