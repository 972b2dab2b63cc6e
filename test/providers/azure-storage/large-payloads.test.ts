import { randomBytes } from "node:crypto";
import { gunzipSync } from "node:zlib";
import { AccountSASPermissions, BlobServiceClient, type ContainerClient } from "@azure/storage-blob";
import { storageClientsFromConnectionString } from "../../../src/providers/azure-storage/connection";
import {
  LargePayloadStore,
  MAX_TABLE_PROPERTY_UTF16_BYTES,
  needsOffload,
} from "../../../src/providers/azure-storage/large-payloads";
import { testStorageConnectionString } from "../../support/test-storage";

/** Varied JSON that gzip cannot shrink to nothing, `approxBytes` long. */
function variedJson(approxBytes: number, seed = 1): string {
  let state = seed;
  const next = (): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state;
  };
  const items: string[] = [];
  let length = 2;
  while (length < approxBytes) {
    const item = JSON.stringify({
      id: next(),
      name: `item-${next().toString(36)}`,
      tags: [next().toString(16), "ünïcödé", "😀"],
      ok: next() % 2 === 0,
    });
    items.push(item);
    length += item.length + 1;
  }
  return `[${items.join(",")}]`;
}

const BIG = "x".repeat(MAX_TABLE_PROPERTY_UTF16_BYTES / 2 + 1);
const JUST_FITS = "x".repeat(MAX_TABLE_PROPERTY_UTF16_BYTES / 2);

describe("LargePayloadStore", () => {
  let container: ContainerClient;
  let store: LargePayloadStore;

  beforeEach(() => {
    const { blobService } = storageClientsFromConnectionString(testStorageConnectionString());
    container = blobService.getContainerClient(`hub${randomBytes(4).toString("hex")}-largemessages`);
    store = new LargePayloadStore(container);
  });

  afterEach(async () => {
    await container.deleteIfExists();
  });

  async function blobNames(): Promise<string[]> {
    const names: string[] = [];
    for await (const blob of container.listBlobsFlat()) names.push(blob.name);
    return names.sort();
  }

  describe("needsOffload", () => {
    it("counts UTF-16 bytes against 60 KiB", () => {
      expect(needsOffload(JUST_FITS)).toBe(false);
      expect(needsOffload(BIG)).toBe(true);
      // One astral character is two UTF-16 code units, i.e. 4 bytes.
      expect(needsOffload("😀".repeat(MAX_TABLE_PROPERTY_UTF16_BYTES / 4))).toBe(false);
      expect(needsOffload("😀".repeat(MAX_TABLE_PROPERTY_UTF16_BYTES / 4) + "x")).toBe(true);
      expect(store.needsOffload(BIG)).toBe(true);
    });
  });

  describe("messages", () => {
    it("round-trips several megabytes, creating the container on first upload", async () => {
      const json = variedJson(5 * 1024 * 1024);
      await store.uploadMessage(
        "inst-1/message-0123456789abcdef0123456789abcdef-ExecutionStarted.json.gz",
        json,
      );
      const back = await store.downloadMessage(
        "inst-1/message-0123456789abcdef0123456789abcdef-ExecutionStarted.json.gz",
      );
      expect(back.length).toBe(json.length);
      expect(back === json).toBe(true);
    });

    it("stores standard gzip of the UTF-8 text, as DTFx reads it", async () => {
      await store.uploadMessage("i/m.json.gz", '{"a":"é"}');
      const raw = await container.getBlockBlobClient("i/m.json.gz").downloadToBuffer();
      expect(gunzipSync(raw).toString("utf8")).toBe('{"a":"é"}');
    });

    it("works after ensureContainer and recreates a container deleted behind its back", async () => {
      await store.ensureContainer();
      await store.ensureContainer();
      await store.uploadMessage("a/1.json.gz", "one");
      await container.delete();
      // Azurite frees the name at once; Azure may refuse for a while with ContainerBeingDeleted.
      await store.uploadMessage("a/2.json.gz", "two");
      expect(await store.downloadMessage("a/2.json.gz")).toBe("two");
    });
  });

  describe("entity properties", () => {
    it("offloads only oversized properties, under DTFx's blob names, and restores them", async () => {
      const input = variedJson(3 * 1024 * 1024, 7);
      const entity: Record<string, unknown> = {
        partitionKey: "order^01",
        rowKey: "0000000000000002",
        Name: "Small",
        Input: input,
        Result: JUST_FITS,
        Reason: BIG,
        Timestamp: 5,
      };
      const names = await store.offloadEntityProperties(entity, {
        escapedInstanceId: "order^01",
        rowKey: "0000000000000002",
        eventTypeName: "ExecutionStarted",
      });

      expect(names).toHaveLength(2);
      expect(names[0]).toMatch(
        /^order\^01\/history-0000000000000002-ExecutionStarted-[0-9A-F]{8}-Input\.json\.gz$/,
      );
      expect(names[1]).toMatch(
        /^order\^01\/history-0000000000000002-ExecutionStarted-[0-9A-F]{8}-Reason\.json\.gz$/,
      );
      expect(entity).toEqual({
        partitionKey: "order^01",
        rowKey: "0000000000000002",
        Name: "Small",
        Input: "",
        InputBlobName: names[0],
        Result: JUST_FITS,
        Reason: "",
        ReasonBlobName: names[1],
        Timestamp: 5,
      });
      expect(await blobNames()).toEqual([...names].sort());

      await store.restoreEntityProperties(entity);
      expect(entity).toEqual({
        partitionKey: "order^01",
        rowKey: "0000000000000002",
        Name: "Small",
        Input: input,
        Result: JUST_FITS,
        Reason: BIG,
        Timestamp: 5,
      });
    });

    it("leaves an entity with only small values alone and uploads nothing", async () => {
      const entity = { Name: "n", Input: '"small"', Result: 42, Details: null };
      const copy = { ...entity };
      expect(
        await store.offloadEntityProperties(entity, {
          escapedInstanceId: "i",
          rowKey: "r",
          eventTypeName: "E",
        }),
      ).toEqual([]);
      expect(entity).toEqual(copy);
      await store.restoreEntityProperties(entity);
      expect(entity).toEqual(copy);
      expect(await container.exists()).toBe(false);
    });

    it("gives each offload its own blob, so a second writer does not overwrite the first", async () => {
      const target = { escapedInstanceId: "i", rowKey: "0000000000000000", eventTypeName: "TaskCompleted" };
      const [first] = await store.offloadEntityProperties({ Result: BIG }, target);
      const [second] = await store.offloadEntityProperties({ Result: `${BIG}y` }, target);
      expect(first).not.toBe(second);
      expect(await blobNames()).toHaveLength(2);
    });
  });

  describe("instance values", () => {
    it("stores a value under history--{Prop} and returns its absolute URL, which resolves back", async () => {
      const output = variedJson(200 * 1024, 3);
      const url = await store.offloadInstanceValue("my instance#1", "Output", output);

      expect(url.startsWith(`${container.url}/`)).toBe(true);
      expect(url).toMatch(/\/my%20instance%231\/history--Output-[0-9A-F]{8}-Output\.json\.gz$/);
      expect(store.isBlobUrl(url)).toBe(true);
      expect(await store.resolveInstanceValue(url)).toBe(output);
      expect(await blobNames()).toEqual([expect.stringMatching(/^my instance#1\/history--Output-/)]);
    });

    it("keeps a SAS token out of the URL it returns", async () => {
      const keyed = storageClientsFromConnectionString(testStorageConnectionString());
      const sasUrl = new URL(
        keyed.blobService.generateAccountSasUrl(
          new Date(Date.now() + 10 * 60 * 1000),
          AccountSASPermissions.parse("rwdlac"),
          "sco",
        ),
      );
      const sasStore = new LargePayloadStore(
        new BlobServiceClient(sasUrl.href).getContainerClient(container.containerName),
      );
      const url = await sasStore.offloadInstanceValue("i", "Input", BIG);
      expect(new URL(url).search).toBe("");
      expect(sasStore.isBlobUrl(url)).toBe(true);
      expect(await sasStore.resolveInstanceValue(url)).toBe(BIG);
    });

    it("recognises only http(s) URLs into this container", () => {
      const base = container.url;
      expect(store.isBlobUrl(`${base}/i/history--Input-00000000-Input.json.gz`)).toBe(true);
      expect(store.isBlobUrl('{"url":"x"}')).toBe(false);
      expect(store.isBlobUrl('"https://example.com/a"')).toBe(false);
      expect(store.isBlobUrl("https://example.com/a/b")).toBe(false);
      expect(store.isBlobUrl(`${base}-other/i/x.json.gz`)).toBe(false);
      expect(store.isBlobUrl(`${base}/`)).toBe(false);
      expect(store.isBlobUrl(base.replace(/^http/, "ftp"))).toBe(false);
    });

    it("reads message blobs (the offloaded start message) as text for the caller", async () => {
      const name = "inst/message-00000000000000000000000000000000-ExecutionStarted.json.gz";
      await store.uploadMessage(name, '{"TaskMessage":{}}');
      const url = container.getBlockBlobClient(name).url;
      expect(await store.resolveInstanceValue(url)).toBe('{"TaskMessage":{}}');
    });

    it("refuses to resolve a URL outside the container", async () => {
      await expect(store.resolveInstanceValue("https://example.com/x")).rejects.toThrow(/is not a blob URL/);
    });
  });

  describe("deletion", () => {
    it("deletes every blob under the raw and the escaped instance id, and nothing else", async () => {
      await store.uploadMessage("a/b/message-1-ExecutionStarted.json.gz", "m");
      await store.offloadEntityProperties(
        { Input: BIG },
        { escapedInstanceId: "a^0b", rowKey: "0", eventTypeName: "E" },
      );
      await store.offloadInstanceValue("a^0b", "Input", BIG);
      await store.uploadMessage("a/bc/message-2-ExecutionStarted.json.gz", "other instance");
      await store.uploadMessage("a^0bc/history-0-E-00000000-Input.json.gz", "other instance");

      expect(await store.deleteInstanceBlobs("a/b", "a^0b")).toBe(3);
      expect(await blobNames()).toEqual([
        "a/bc/message-2-ExecutionStarted.json.gz",
        "a^0bc/history-0-E-00000000-Input.json.gz",
      ]);
      expect(await store.deleteInstanceBlobs("a/b", "a^0b")).toBe(0);
    });

    it("counts nothing when the container was never created", async () => {
      expect(await store.deleteInstanceBlobs("x", "x")).toBe(0);
      await expect(store.deleteBlobs(["x/1.json.gz"])).resolves.toBeUndefined();
    });

    it("deletes named blobs, ignoring ones already gone", async () => {
      const names = await store.offloadEntityProperties(
        { Input: BIG, Output: BIG },
        { escapedInstanceId: "i", rowKey: "1", eventTypeName: "E" },
      );
      await store.uploadMessage("i/keep.json.gz", "keep");
      await store.deleteBlobs([...names, "i/missing.json.gz"]);
      expect(await blobNames()).toEqual(["i/keep.json.gz"]);
    });
  });
});
