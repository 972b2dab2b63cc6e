/**
 * What the Azure Storage task hub leaves in the storage account, read straight from the tables,
 * queues and blobs with the Azure SDKs rather than through the provider, so that the layout a
 * .NET DurableTask.AzureStorage worker expects is checked independently of our own readers
 * (shared/reference/azure-storage-provider.md, §1–§4 and §6.1).
 */
import { createHash, randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { odata, type TableEntityResult } from "@azure/data-tables";
import * as df from "../../../src/index";
import { TaskHubClient } from "../../../src/engine/client";
import { executionStarted } from "../../../src/engine/history-events";
import { DurableWorker } from "../../../src/engine/worker";
import { AzureStorageTaskHub } from "../../../src/providers/azure-storage";
import { storageClientsFromConnectionString } from "../../../src/providers/azure-storage/connection";
import { RegistryInvoker } from "../../../src/testing/registry-invoker";
import { testStorageConnectionString } from "../../support/test-storage";

type Row = TableEntityResult<Record<string, unknown>>;
type Json = Record<string, unknown>;

const clients = storageClientsFromConnectionString(testStorageConnectionString());

/** Newtonsoft's round-trip DateTime: 7 fractional digits and Z. */
const DOTNET_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/;
const GUID_N = /^[0-9a-f]{32}$/;
const SENTINEL = "sentinel";

const BIG_INPUT_LENGTH = 1_000_000;
const BIG_RESULT_LENGTH = 5_000_000;

// ---- the functions the orchestrations run ----

df.app.orchestration("LayoutGreet", function* (context) {
  const name = context.df.getInput<string>();
  const greeting: string = yield context.df.callActivity("LayoutHello", name);
  if (name === "with status") context.df.setCustomStatus({ stage: "greeted" });
  return greeting;
});

df.app.activity("LayoutHello", { handler: (name: string) => `Hello, ${name}!` });

df.app.orchestration("LayoutBig", function* (context) {
  const input = context.df.getInput<string>();
  const made: string = yield context.df.callActivity("LayoutMakeBig", { length: BIG_RESULT_LENGTH, seed: 7 });
  // A digest proves the orchestrator saw the whole input without echoing a megabyte back.
  return { inputDigest: digest(input), result: made };
});

df.app.activity("LayoutMakeBig", {
  handler: (request: { length: number; seed: number }) => variedText(request.length, request.seed),
});

// ---- helpers ----

function uniqueHubName(): string {
  return `Layout${randomBytes(6).toString("hex")}`;
}

function newHub(hubName: string, partitionCount?: number): AzureStorageTaskHub {
  return new AzureStorageTaskHub({
    clients,
    hubName,
    maxQueuePollingIntervalMs: 100,
    ...(partitionCount === undefined ? {} : { partitionCount }),
  });
}

/** Text gzip cannot shrink to nothing (so blobs stay large), the same for the same seed. */
function variedText(length: number, seed: number): string {
  const alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 äöüéñ€";
  let state = seed;
  const characters = new Array<string>(length);
  for (let i = 0; i < length; i++) {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    characters[i] = alphabet[(state >>> 16) % alphabet.length];
  }
  return characters.join("");
}

function digest(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** FNV-1a 32 over UTF-8, spelled out here so the test does not lean on the provider's copy. */
function controlQueueIndex(instanceId: string, partitionCount: number): number {
  let hash = 2166136261;
  for (const byte of new TextEncoder().encode(instanceId)) {
    hash = Number((BigInt((hash ^ byte) >>> 0) * 16777619n) % 2n ** 32n);
  }
  return hash % partitionCount;
}

function controlQueueName(hubName: string, index: number): string {
  return `${hubName.toLowerCase()}-control-${String(index).padStart(2, "0")}`;
}

// Azurite is shared with the other test files running at the same time: list only this hub's.
async function tableNames(hubName: string): Promise<string[]> {
  const names: string[] = [];
  for await (const table of clients.tableService.listTables()) {
    if (table.name?.startsWith(hubName)) names.push(table.name);
  }
  return names.sort();
}

async function queueNames(hubName: string): Promise<string[]> {
  const names: string[] = [];
  for await (const queue of clients.queueService.listQueues({ prefix: hubName.toLowerCase() })) {
    names.push(queue.name);
  }
  return names.sort();
}

async function containerNames(hubName: string): Promise<string[]> {
  const names: string[] = [];
  for await (const container of clients.blobService.listContainers({ prefix: hubName.toLowerCase() })) {
    names.push(container.name);
  }
  return names.sort();
}

async function blobNames(container: string, prefix?: string): Promise<string[]> {
  const names: string[] = [];
  const blobs = clients.blobService.getContainerClient(container).listBlobsFlat({ prefix });
  for await (const blob of blobs) names.push(blob.name);
  return names.sort();
}

async function blobBuffer(container: string, blobName: string): Promise<Buffer> {
  return clients.blobService.getContainerClient(container).getBlockBlobClient(blobName).downloadToBuffer();
}

async function gunzipBlob(container: string, blobName: string): Promise<string> {
  return gunzipSync(await blobBuffer(container, blobName)).toString("utf8");
}

/** A partition's rows in key order; with `raw`, each column is `{ value, type }` (its EDM type). */
async function readRows(table: string, partitionKey: string, raw = false): Promise<Row[]> {
  const rows: Row[] = [];
  const entities = clients.table(table).listEntities<Record<string, unknown>>({
    queryOptions: { filter: odata`PartitionKey eq ${partitionKey}` },
    disableTypeConversion: raw,
  });
  for await (const row of entities) rows.push(row);
  return rows;
}

async function peekAll(queue: string): Promise<string[]> {
  const response = await clients.queueService.getQueueClient(queue).peekMessages({ numberOfMessages: 32 });
  return response.peekedMessageItems.map((item) => item.messageText);
}

async function waitForMessage(queue: string, timeoutMs = 10_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [first] = await peekAll(queue);
    if (first !== undefined) return first;
    if (Date.now() > deadline) throw new Error(`No message reached ${queue} within ${timeoutMs} ms.`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function parseObject(text: string): Json {
  const value: unknown = JSON.parse(text);
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new Error(`Expected a JSON object, got: ${text.slice(0, 80)}`);
  }
  return value as Json;
}

function field(object: unknown, ...path: string[]): unknown {
  let value = object;
  for (const key of path) {
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Json)[key];
  }
  return value;
}

function edmType(row: Row, column: string): unknown {
  return field(row[column], "type");
}

function rowWithKey(rows: Row[], rowKey: string | undefined): Row {
  const row = rows.find((r) => r.rowKey === rowKey);
  if (!row) throw new Error(`No row ${rowKey} among ${rows.map((r) => r.rowKey).join(", ")}.`);
  return row;
}

function eventRow(rows: Row[], eventType: string): Row {
  const row = rows.find((r) => r.EventType === eventType);
  if (!row) throw new Error(`No ${eventType} row among ${rows.map((r) => String(r.EventType)).join(", ")}.`);
  return row;
}

function historyRowKey(sequence: number): string {
  return sequence.toString(16).toUpperCase().padStart(16, "0");
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** JSON text of a big string, compared by length and digest so a failure does not print it. */
function summary(json: string): { length: number; digest: string } {
  const value = JSON.parse(json) as string;
  return { length: value.length, digest: digest(value) };
}

// ---- the specification ----

describe("creating and deleting a task hub", () => {
  it("creates the tables, queues and containers of DurableTask.AzureStorage, once", async () => {
    const hubName = uniqueHubName();
    const lower = hubName.toLowerCase();
    const hub = newHub(hubName);
    try {
      await hub.createIfNotExists();
      const firstInfo = (await blobBuffer(`${lower}-leases`, "taskhub.json")).toString("utf8");
      await hub.createIfNotExists();

      expect(await tableNames(hubName)).toEqual(
        [`${hubName}History`, `${hubName}Instances`, `${hubName}Partitions`, `${hubName}Poison`].sort(),
      );
      expect(await queueNames(hubName)).toEqual([
        `${lower}-control-00`,
        `${lower}-control-01`,
        `${lower}-control-02`,
        `${lower}-control-03`,
        `${lower}-workitems`,
      ]);
      expect(await containerNames(hubName)).toEqual([`${lower}-largemessages`, `${lower}-leases`]);
      expect(await blobNames(`${lower}-leases`)).toEqual(["taskhub.json"]);
      // The second create must not have rewritten the hub's birth certificate.
      expect((await blobBuffer(`${lower}-leases`, "taskhub.json")).toString("utf8")).toBe(firstInfo);
      expect(await readRows(`${hubName}Partitions`, "")).toHaveLength(4);
    } finally {
      await hub.deleteHub();
    }
  });

  it("writes taskhub.json as TaskHubInfo's default Newtonsoft JSON", async () => {
    const hubName = uniqueHubName();
    const hub = newHub(hubName);
    try {
      await hub.createIfNotExists();
      const info = parseObject(
        (await blobBuffer(`${hubName.toLowerCase()}-leases`, "taskhub.json")).toString("utf8"),
      );
      expect(Object.keys(info)).toEqual(["TaskHubName", "CreatedAt", "PartitionCount"]);
      expect(info.TaskHubName).toBe(hubName);
      expect(info.CreatedAt).toMatch(DOTNET_TIME);
      expect(Math.abs(Date.parse(info.CreatedAt as string) - Date.now())).toBeLessThan(60_000);
      expect(info.PartitionCount).toBe(4);
    } finally {
      await hub.deleteHub();
    }
  });

  it("makes one control queue and one lease row per partition", async () => {
    const hubName = uniqueHubName();
    const lower = hubName.toLowerCase();
    const hub = newHub(hubName, 2);
    try {
      await hub.createIfNotExists();
      expect(await queueNames(hubName)).toEqual([
        `${lower}-control-00`,
        `${lower}-control-01`,
        `${lower}-workitems`,
      ]);
      const info = parseObject((await blobBuffer(`${lower}-leases`, "taskhub.json")).toString("utf8"));
      expect(info.PartitionCount).toBe(2);
      const leases = await readRows(`${hubName}Partitions`, "");
      expect(leases.map((row) => row.rowKey)).toEqual([`${lower}-control-00`, `${lower}-control-01`]);
    } finally {
      await hub.deleteHub();
    }
  });

  it("deletes every table, queue, container and blob of a hub that has been used", async () => {
    const hubName = uniqueHubName();
    const hub = newHub(hubName);
    await hub.createIfNotExists();
    const worker = new DurableWorker(hub, new RegistryInvoker());
    await worker.start();
    const client = new TaskHubClient(hub);
    // Over the table property limit, so the large-message container has blobs when it goes.
    await client.startNew("LayoutGreet", {
      instanceId: "doomed",
      input: JSON.stringify(variedText(40_000, 3)),
    });
    expect((await client.waitForCompletion("doomed", 10_000))?.runtimeStatus).toBe("Completed");
    await worker.stop();
    expect((await blobNames(`${hubName.toLowerCase()}-largemessages`)).length).toBeGreaterThan(0);

    await hub.deleteHub();

    expect(await tableNames(hubName)).toEqual([]);
    expect(await queueNames(hubName)).toEqual([]);
    expect(await containerNames(hubName)).toEqual([]);
  });
});

describe("the Partitions table", () => {
  const hubName = uniqueHubName();
  const lower = hubName.toLowerCase();
  const hub = newHub(hubName);

  beforeAll(async () => {
    await hub.createIfNotExists();
  });

  afterAll(async () => {
    await hub.deleteHub();
  });

  it("holds one unowned row per control queue under PartitionKey ''", async () => {
    const rows = await readRows(`${hubName}Partitions`, "");
    expect(rows.map((row) => [row.partitionKey, row.rowKey])).toEqual(
      [0, 1, 2, 3].map((i) => ["", `${lower}-control-0${i}`]),
    );
    for (const row of rows) expect(row.CurrentOwner ?? null).toBeNull();
  });

  it("names the started worker as owner of every row, with a lease that has not expired", async () => {
    await hub.start();
    try {
      const now = Date.now();
      const rows = await readRows(`${hubName}Partitions`, "");
      expect(rows).toHaveLength(4);
      for (const row of rows) {
        expect(row.CurrentOwner).toBe(hub.workerId);
        expect(row.ExpiresAt).toBeInstanceOf(Date);
        expect((row.ExpiresAt as Date).getTime()).toBeGreaterThan(now);
        expect(row.OwnedSince).toBeInstanceOf(Date);
        expect(row.LastRenewal).toBeInstanceOf(Date);
        expect(row.IsDraining).toBe(false);
      }
      for (const row of await readRows(`${hubName}Partitions`, "", true)) {
        expect(edmType(row, "CurrentOwner")).toBe("String");
        expect(edmType(row, "ExpiresAt")).toBe("DateTime");
        expect(edmType(row, "OwnedSince")).toBe("DateTime");
        expect(edmType(row, "LastRenewal")).toBe("DateTime");
        expect(edmType(row, "IsDraining")).toBe("Boolean");
      }
    } finally {
      await hub.stop();
    }
  });

  it("clears the owner of every row on a graceful stop", async () => {
    for (const row of await readRows(`${hubName}Partitions`, "")) expect(row.CurrentOwner ?? null).toBeNull();
  });
});

describe("queue messages", () => {
  const hubName = uniqueHubName();
  const lower = hubName.toLowerCase();
  const hub = newHub(hubName);
  const client = new TaskHubClient(hub);
  let worker: DurableWorker | undefined;
  const instanceId = `queued-${randomBytes(4).toString("hex")}`;
  const controlQueue = controlQueueName(hubName, controlQueueIndex(instanceId, 4));

  beforeAll(async () => {
    await hub.createIfNotExists();
    // No worker yet: the start message stays in its queue to be looked at.
    await client.startNew("LayoutGreet", { instanceId, input: JSON.stringify("Tokyo") });
  });

  afterAll(async () => {
    await worker?.stop();
    await hub.deleteHub();
  });

  it("puts the start message in the control queue FNV-1a of the instance id selects, and no other", async () => {
    for (let i = 0; i < 4; i++) {
      const queue = controlQueueName(hubName, i);
      expect([queue, (await peekAll(queue)).length]).toEqual([queue, queue === controlQueue ? 1 : 0]);
    }
  });

  it("writes the start message as raw MessageData JSON with Newtonsoft type names", async () => {
    const [body] = await peekAll(controlQueue);
    // UTF8 message encoding, DTFx's default: JSON text, not base64.
    expect(body.startsWith("{")).toBe(true);
    const data = parseObject(body);
    expect(data.$type).toBe("DurableTask.AzureStorage.MessageData");
    expect(data.ActivityId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(data.CompressedBlobName).toBeNull();
    expect(Number.isInteger(data.SequenceNumber)).toBe(true);
    expect(field(data, "TaskMessage", "$type")).toBe("DurableTask.Core.TaskMessage");
    const instance = field(data, "TaskMessage", "OrchestrationInstance");
    expect(field(instance, "$type")).toBe("DurableTask.Core.OrchestrationInstance");
    expect(field(instance, "InstanceId")).toBe(instanceId);
    expect(field(instance, "ExecutionId")).toMatch(GUID_N);

    const event = field(data, "TaskMessage", "Event");
    expect(field(event, "$type")).toBe("DurableTask.Core.History.ExecutionStartedEvent");
    expect(field(event, "EventType")).toBe(0);
    expect(field(event, "EventId")).toBe(-1);
    expect(field(event, "IsPlayed")).toBe(false);
    expect(field(event, "Timestamp")).toMatch(DOTNET_TIME);
    expect(field(event, "Name")).toBe("LayoutGreet");
    expect(field(event, "Input")).toBe('"Tokyo"');
    expect(field(event, "OrchestrationInstance")).toEqual(instance);
    expect(field(event, "ParentInstance")).toBeNull();
  });

  it("sends messages that never expire (TTL -1)", async () => {
    const response = await clients.queueService.getQueueClient(controlQueue).peekMessages();
    expect(response.peekedMessageItems[0].expiresOn.getUTCFullYear()).toBe(9999);
  });

  it("puts an activity request, a TaskScheduledEvent, in the work-item queue", async () => {
    worker = new DurableWorker(hub, new RegistryInvoker(), { maxConcurrentActivities: 0 });
    await worker.start();
    const body = await waitForMessage(`${lower}-workitems`);

    expect(body.startsWith("{")).toBe(true);
    const data = parseObject(body);
    expect(data.$type).toBe("DurableTask.AzureStorage.MessageData");
    expect(data.CompressedBlobName).toBeNull();
    expect(Number.isInteger(data.SequenceNumber)).toBe(true);
    expect(field(data, "TaskMessage", "$type")).toBe("DurableTask.Core.TaskMessage");
    const instance = field(data, "TaskMessage", "OrchestrationInstance");
    expect(instance).toEqual({
      $type: "DurableTask.Core.OrchestrationInstance",
      InstanceId: instanceId,
      ExecutionId: expect.stringMatching(GUID_N) as unknown,
    });
    const event = field(data, "TaskMessage", "Event");
    expect(field(event, "$type")).toBe("DurableTask.Core.History.TaskScheduledEvent");
    expect(field(event, "EventType")).toBe(4);
    expect(field(event, "EventId")).toBe(0);
    expect(field(event, "Name")).toBe("LayoutHello");
    // The extension wraps activity inputs in a one-element array of what the SDK sent; the JS
    // SDK sends a string input JSON-encoded.
    expect(field(event, "Input")).toBe(JSON.stringify([JSON.stringify("Tokyo")]));
    expect(field(event, "Timestamp")).toMatch(DOTNET_TIME);
    // The episode that scheduled it has been checkpointed, so its start message is gone.
    expect(await peekAll(controlQueue)).toEqual([]);
  });

  // DTFx's TaskHubQueue.AddMessageAsync stamps every message an orchestration sends with the
  // session's instance (Sender) and its episode number (reference §4.1).
  it("stamps the activity request with the sending execution and its episode", async () => {
    const [body] = await peekAll(`${lower}-workitems`);
    const data = parseObject(body);
    const executionId = field(data, "TaskMessage", "OrchestrationInstance", "ExecutionId");
    expect(data.Episode).toBe(1);
    expect(data.Sender).toEqual({ InstanceId: instanceId, ExecutionId: executionId });
  });
});

describe("History and Instances rows of a completed orchestration", () => {
  const hubName = uniqueHubName();
  const hub = newHub(hubName);
  const client = new TaskHubClient(hub);
  const worker = new DurableWorker(hub, new RegistryInvoker());
  // '^' is the one escapable character the client lets into an id ('/', '\', '#', '?' are refused).
  const instanceId = `greet^${randomBytes(4).toString("hex")}`;
  const escapedId = instanceId.replace("^", "^^");
  let history: Row[] = [];
  let rawHistory: Row[] = [];
  let events: Row[] = [];

  beforeAll(async () => {
    await hub.createIfNotExists();
    await worker.start();
    await client.startNew("LayoutGreet", { instanceId, input: JSON.stringify("Tokyo") });
    expect((await client.waitForCompletion(instanceId, 10_000))?.runtimeStatus).toBe("Completed");
    history = await readRows(`${hubName}History`, escapedId);
    rawHistory = await readRows(`${hubName}History`, escapedId, true);
    events = history.filter((row) => row.rowKey !== SENTINEL);
  });

  afterAll(async () => {
    await worker.stop();
    await hub.deleteHub();
  });

  it("keys History rows by the escaped instance id and 16 uppercase hex digits, sentinel last", () => {
    for (const row of history) expect(row.partitionKey).toBe(escapedId);
    expect(history[history.length - 1].rowKey).toBe(SENTINEL);
    expect(events.map((row) => row.rowKey)).toEqual(events.map((_, i) => historyRowKey(i)));
  });

  it("writes the run's events in order, EventType as the enum name", () => {
    expect(events.map((row) => row.EventType)).toEqual([
      "OrchestratorStarted",
      "ExecutionStarted",
      "TaskScheduled",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TaskCompleted",
      "ExecutionCompleted",
      "OrchestratorCompleted",
    ]);
  });

  it("gives every event EventId (Int32), IsPlayed, _Timestamp (DateTime) and ExecutionId", () => {
    const executionId = eventRow(events, "ExecutionStarted").ExecutionId;
    expect(executionId).toMatch(GUID_N);
    for (const row of events) {
      expect(typeof row.EventId).toBe("number");
      expect(typeof row.IsPlayed).toBe("boolean");
      expect(row._Timestamp).toBeInstanceOf(Date);
      expect(row.ExecutionId).toBe(executionId);
      // Timestamp is the table's own column; the event time lives in _Timestamp.
      expect(Object.keys(row)).not.toContain("Timestamp");
    }
    expect(eventRow(events, "ExecutionStarted").EventId).toBe(-1);
    expect(eventRow(events, "TaskScheduled").EventId).toBe(0);

    for (const row of rawHistory.filter((r) => r.rowKey !== SENTINEL)) {
      expect([row.rowKey, edmType(row, "EventType"), edmType(row, "EventId")]).toEqual([
        row.rowKey,
        "String",
        "Int32",
      ]);
      expect(edmType(row, "IsPlayed")).toBe("Boolean");
      expect(edmType(row, "_Timestamp")).toBe("DateTime");
      expect(edmType(row, "ExecutionId")).toBe("String");
    }
  });

  it("stores ExecutionStarted with OrchestrationInstance as JSON text", () => {
    const started = eventRow(events, "ExecutionStarted");
    expect(started.Name).toBe("LayoutGreet");
    expect(started.Input).toBe('"Tokyo"');
    expect(typeof started.OrchestrationInstance).toBe("string");
    expect(JSON.parse(started.OrchestrationInstance as string)).toEqual({
      InstanceId: instanceId,
      ExecutionId: started.ExecutionId,
    });
    // Newtonsoft writes a null object as the text "null".
    expect(started.ParentInstance).toBe("null");
  });

  it("stores the activity's scheduling and result", () => {
    expect(eventRow(events, "TaskScheduled").Name).toBe("LayoutHello");
    const completed = eventRow(events, "TaskCompleted");
    expect(completed.TaskScheduledId).toBe(0);
    expect(completed.Result).toBe('"Hello, Tokyo!"');
    expect(edmType(rowWithKey(rawHistory, completed.rowKey), "TaskScheduledId")).toBe("Int32");
  });

  it("stores ExecutionCompleted with OrchestrationStatus as a name and the Result", () => {
    const ended = eventRow(events, "ExecutionCompleted");
    expect(ended.OrchestrationStatus).toBe("Completed");
    expect(ended.Result).toBe('"Hello, Tokyo!"');
  });

  it("writes the sentinel with the execution id and a completed checkpoint", () => {
    const sentinel = rowWithKey(history, SENTINEL);
    expect(sentinel.ExecutionId).toBe(eventRow(events, "ExecutionStarted").ExecutionId);
    expect(sentinel.IsCheckpointComplete).toBe(true);
    expect(sentinel.CheckpointCompletedTimestamp).toBeInstanceOf(Date);
    const raw = rowWithKey(rawHistory, SENTINEL);
    expect(edmType(raw, "IsCheckpointComplete")).toBe("Boolean");
    expect(edmType(raw, "CheckpointCompletedTimestamp")).toBe("DateTime");
  });

  it("writes one Instances row under the escaped id and RowKey ''", async () => {
    const rows = await readRows(`${hubName}Instances`, escapedId);
    expect(rows).toHaveLength(1);
    const [row] = rows;
    expect(row.rowKey).toBe("");
    expect(row.Name).toBe("LayoutGreet");
    expect(row.Input).toBe('"Tokyo"');
    expect(row.Output).toBe('"Hello, Tokyo!"');
    expect(row.RuntimeStatus).toBe("Completed");
    // DTFx's workaround for an unset status (issue #477): the text "null", not a missing column.
    expect(row.CustomStatus).toBe("null");
    expect(row.CreatedTime).toBeInstanceOf(Date);
    expect(row.LastUpdatedTime).toBeInstanceOf(Date);
    expect(row.CompletedTime).toBeInstanceOf(Date);
    expect(row.ExecutionId).toBe(eventRow(events, "ExecutionStarted").ExecutionId);
    expect(row.Generation).toBe(0);
    expect(row.TaskHubName).toBe(hubName);

    const [raw] = await readRows(`${hubName}Instances`, escapedId, true);
    expect(edmType(raw, "Generation")).toBe("Int32");
    for (const column of ["CreatedTime", "LastUpdatedTime", "CompletedTime"]) {
      expect([column, edmType(raw, column)]).toEqual([column, "DateTime"]);
    }
  });

  it("keeps a custom status in the Instances row as its JSON", async () => {
    const id = `status-${randomBytes(4).toString("hex")}`;
    await client.startNew("LayoutGreet", { instanceId: id, input: JSON.stringify("with status") });
    expect((await client.waitForCompletion(id, 10_000))?.runtimeStatus).toBe("Completed");
    const [row] = await readRows(`${hubName}Instances`, id);
    expect(row.CustomStatus).toBe(JSON.stringify({ stage: "greeted" }));
  });

  it("escapes '/', '#' and '?' in the keys of an instance whose id holds them", async () => {
    // The client refuses such ids, as Durable Functions does, so the start goes to the hub directly.
    const id = `odd/id#${randomBytes(2).toString("hex")}?x^y`;
    const escaped = id.replace("^", "^^").replace("/", "^0").replace("#", "^2").replace("?", "^3");
    const executionId = randomBytes(16).toString("hex");
    const event = executionStarted({
      instanceId: id,
      executionId,
      name: "LayoutGreet",
      input: JSON.stringify("Oslo"),
      timestamp: new Date().toISOString(),
    });
    await hub.createInstance({ event, instance: { instanceId: id, executionId } }, ["Pending", "Running"]);
    expect((await client.waitForCompletion(id, 10_000))?.runtimeStatus).toBe("Completed");

    const [instance] = await readRows(`${hubName}Instances`, escaped);
    expect(instance.Output).toBe('"Hello, Oslo!"');
    const rows = await readRows(`${hubName}History`, escaped);
    expect(rows[rows.length - 1].rowKey).toBe(SENTINEL);
    expect(JSON.parse(eventRow(rows, "ExecutionStarted").OrchestrationInstance as string)).toEqual({
      InstanceId: id,
      ExecutionId: executionId,
    });
  });

  it("purges the instance's History rows and Instances row", async () => {
    expect(await client.purge(instanceId)).toBe(1);
    expect(await readRows(`${hubName}History`, escapedId)).toEqual([]);
    expect(await readRows(`${hubName}Instances`, escapedId)).toEqual([]);
  });
});

describe("large payloads", () => {
  const hubName = uniqueHubName();
  const container = `${hubName.toLowerCase()}-largemessages`;
  const hub = newHub(hubName);
  const client = new TaskHubClient(hub);
  const worker = new DurableWorker(hub, new RegistryInvoker());
  const instanceId = `big-${randomBytes(4).toString("hex")}`;
  const input = variedText(BIG_INPUT_LENGTH, 1);
  const result = variedText(BIG_RESULT_LENGTH, 7);
  let history: Row[] = [];

  beforeAll(async () => {
    await hub.createIfNotExists();
    // Started before the worker, so the offloaded start message can be looked at in its queue.
    await client.startNew("LayoutBig", { instanceId, input: JSON.stringify(input) });
  });

  afterAll(async () => {
    await worker.stop();
    await hub.deleteHub();
  });

  it("queues a wrapper naming the blob that holds the gzipped start message", async () => {
    const bodies = await peekAll(controlQueueName(hubName, controlQueueIndex(instanceId, 4)));
    expect(bodies).toHaveLength(1);
    const wrapper = parseObject(bodies[0]);
    expect(wrapper.$type).toBe("DurableTask.AzureStorage.MessageData");
    expect(wrapper.TaskMessage).toBeNull();
    const blobName = wrapper.CompressedBlobName as string;
    expect(blobName).toMatch(
      new RegExp(`^${escapeRegExp(instanceId)}/message-[0-9a-f]{32}-ExecutionStarted\\.json\\.gz$`),
    );
    expect(await blobNames(container, `${instanceId}/message-`)).toEqual([blobName]);

    const data = parseObject(await gunzipBlob(container, blobName));
    expect(data.$type).toBe("DurableTask.AzureStorage.MessageData");
    // The blob is named after the full message's ActivityId.
    expect(String(data.ActivityId).replace(/-/g, "")).toBe(/message-([0-9a-f]{32})-/.exec(blobName)?.[1]);
    expect(field(data, "TaskMessage", "$type")).toBe("DurableTask.Core.TaskMessage");
    expect(field(data, "TaskMessage", "Event", "$type")).toBe(
      "DurableTask.Core.History.ExecutionStartedEvent",
    );
    expect(field(data, "TaskMessage", "Event", "EventType")).toBe(0);
    expect(summary(field(data, "TaskMessage", "Event", "Input") as string)).toEqual(
      summary(JSON.stringify(input)),
    );
  });

  it("stores the Pending row's oversized Input as an absolute URL into the large-message container", async () => {
    const [row] = await readRows(`${hubName}Instances`, instanceId);
    expect(row.RuntimeStatus).toBe("Pending");
    const containerUrl = clients.blobService.getContainerClient(container).url;
    expect(String(row.Input).startsWith(`${containerUrl}/`)).toBe(true);
    // The start message's own blob already holds the input: no second upload (§2.2).
    expect(String(row.Input)).toMatch(/\/message-[0-9a-f]{32}-ExecutionStarted\.json\.gz$/);
  });

  it("completes with the whole input seen and the whole result returned", async () => {
    await worker.start();
    const state = await client.waitForCompletion(instanceId, 20_000);
    expect(state?.runtimeStatus).toBe("Completed");
    const output = JSON.parse(state?.output ?? "null") as { inputDigest: string; result: string };
    expect(output.inputDigest).toBe(digest(input));
    expect({ length: output.result.length, digest: digest(output.result) }).toEqual({
      length: result.length,
      digest: digest(result),
    });
    history = await readRows(`${hubName}History`, instanceId);
  });

  it("offloads the ExecutionStarted Input to a history blob named by row, event and property", async () => {
    const started = eventRow(history, "ExecutionStarted");
    expect(started.rowKey).toBe(historyRowKey(1));
    expect(started.Input).toBe("");
    const blobName = started.InputBlobName as string;
    expect(blobName).toMatch(
      new RegExp(
        `^${escapeRegExp(instanceId)}/history-0000000000000001-ExecutionStarted-[0-9A-F]{8}-Input\\.json\\.gz$`,
      ),
    );
    expect(summary(await gunzipBlob(container, blobName))).toEqual(summary(JSON.stringify(input)));
  });

  it("offloads the 5 MB activity result in the TaskCompleted row, never having sent it as a message", async () => {
    // The activity ran in the process that owns the instance, so its result went to the
    // instance's buffer directly (docs/azure-storage.md, "Activity results").
    const messages = await blobNames(container, `${instanceId}/message-`);
    expect(messages.filter((name) => name.endsWith("-TaskCompleted.json.gz"))).toHaveLength(0);

    const completed = eventRow(history, "TaskCompleted");
    expect(completed.Result).toBe("");
    const blobName = completed.ResultBlobName as string;
    expect(blobName).toMatch(
      new RegExp(
        `^${escapeRegExp(instanceId)}/history-${completed.rowKey}-TaskCompleted-[0-9A-F]{8}-Result\\.json\\.gz$`,
      ),
    );
    expect(summary(await gunzipBlob(container, blobName))).toEqual(summary(JSON.stringify(result)));
  });

  it("offloads the ExecutionCompleted Result", () => {
    const ended = eventRow(history, "ExecutionCompleted");
    expect(ended.OrchestrationStatus).toBe("Completed");
    expect(ended.Result).toBe("");
    expect(ended.ResultBlobName).toMatch(
      new RegExp(
        `^${escapeRegExp(instanceId)}/history-${ended.rowKey}-ExecutionCompleted-[0-9A-F]{8}-Result\\.json\\.gz$`,
      ),
    );
  });

  it("keeps the oversized Output in the Instances row as the absolute URL of its blob", async () => {
    const [row] = await readRows(`${hubName}Instances`, instanceId);
    const output = row.Output as string;
    const containerUrl = clients.blobService.getContainerClient(container).url;
    expect(output).toMatch(/^https?:\/\//);
    expect(output.startsWith(`${containerUrl}/`)).toBe(true);
    const blobName = output
      .slice(containerUrl.length + 1)
      .split("/")
      .map(decodeURIComponent)
      .join("/");
    const stored = JSON.parse(await gunzipBlob(container, blobName)) as {
      inputDigest: string;
      result: string;
    };
    expect(stored.inputDigest).toBe(digest(input));
    expect(digest(stored.result)).toBe(digest(result));
  });

  it("stores an unchanged large Input or Output once, not again at every checkpoint", async () => {
    expect(await blobNames(container, `${instanceId}/history--Input-`)).toEqual([]);
    expect(await blobNames(container, `${instanceId}/history--Output-`)).toHaveLength(1);
  });

  it("purges the instance's blobs along with its rows", async () => {
    expect((await blobNames(container, `${instanceId}/`)).length).toBeGreaterThan(0);
    expect(await client.purge(instanceId)).toBe(1);
    expect(await blobNames(container, `${instanceId}/`)).toEqual([]);
    expect(await readRows(`${hubName}History`, instanceId)).toEqual([]);
    expect(await readRows(`${hubName}Instances`, instanceId)).toEqual([]);
  });
});
