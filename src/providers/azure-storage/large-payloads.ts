/**
 * The `{hub}-largemessages` container: gzipped queue messages too big for a queue, and table
 * properties too big for a row, stored under the names DurableTask.AzureStorage uses so that
 * either implementation can read what the other wrote.
 */
import { randomBytes } from "node:crypto";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import type { BlockBlobClient, ContainerClient } from "@azure/storage-blob";
import { OFFLOADABLE_PROPERTIES } from "./history-entity";

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

/** DTFx's `MaxTablePropertySizeInBytes`, counted in UTF-16 bytes (Azure allows 64 KiB). */
export const MAX_TABLE_PROPERTY_UTF16_BYTES = 60 * 1024;

const BLOB_NAME_SUFFIX = "BlobName";

/** Blob deletions in flight at once during a purge. */
const DELETE_CONCURRENCY = 16;

/** JavaScript strings are UTF-16, so their length is what .NET's `Encoding.Unicode` counts. */
export function needsOffload(value: string): boolean {
  return value.length * 2 > MAX_TABLE_PROPERTY_UTF16_BYTES;
}

export interface OffloadTarget {
  escapedInstanceId: string;
  rowKey: string;
  eventTypeName: string;
}

export class LargePayloadStore {
  /** Set once the container is known to exist, so later uploads skip the check. */
  private containerReady: Promise<void> | undefined;

  constructor(private readonly container: ContainerClient) {}

  /** Creates the container now; optional, since uploads create it on first need. */
  ensureContainer(): Promise<void> {
    this.containerReady ??= this.container.createIfNotExists().then(
      () => undefined,
      (error: unknown) => {
        this.containerReady = undefined;
        throw error;
      },
    );
    return this.containerReady;
  }

  needsOffload(value: string): boolean {
    return needsOffload(value);
  }

  /** Stores a serialized MessageData under `blobName` (gzipped UTF-8, as DTFx writes it). */
  async uploadMessage(blobName: string, json: string): Promise<void> {
    await this.upload(blobName, json);
  }

  async downloadMessage(blobName: string): Promise<string> {
    return this.download(this.container.getBlockBlobClient(blobName));
  }

  /**
   * Moves each oversized property of a History (or Pending Instances) row into its own blob,
   * leaving `""` in the property and the blob's name in `{Prop}BlobName`. Returns the names.
   */
  async offloadEntityProperties(entity: Record<string, unknown>, target: OffloadTarget): Promise<string[]> {
    const names: string[] = [];
    const uploads: Promise<void>[] = [];
    for (const property of OFFLOADABLE_PROPERTIES) {
      const value = entity[property];
      if (typeof value !== "string" || !needsOffload(value)) continue;
      // The random part keeps two writers of the same row (split brain) from sharing a blob.
      const blobName =
        `${target.escapedInstanceId}/history-${target.rowKey}-${target.eventTypeName}-` +
        `${randomHex8()}-${property}.json.gz`;
      names.push(blobName);
      uploads.push(
        this.upload(blobName, value).then(() => {
          entity[property] = "";
          entity[`${property}${BLOB_NAME_SUFFIX}`] = blobName;
        }),
      );
    }
    await Promise.all(uploads);
    return names;
  }

  /** Puts offloaded properties back from their blobs and drops the `{Prop}BlobName` columns. */
  async restoreEntityProperties(entity: Record<string, unknown>): Promise<void> {
    await Promise.all(
      OFFLOADABLE_PROPERTIES.map(async (property) => {
        const column = `${property}${BLOB_NAME_SUFFIX}`;
        const blobName = entity[column];
        if (typeof blobName !== "string" || blobName === "") return;
        entity[property] = await this.download(this.container.getBlockBlobClient(blobName));
        delete entity[column];
      }),
    );
  }

  /**
   * Stores a large Instances-table value and returns the blob's absolute URL, which is what
   * DTFx keeps in the Instances row (History rows keep a relative name instead).
   */
  async offloadInstanceValue(
    escapedInstanceId: string,
    property: "Input" | "Output" | "CustomStatus" | "Tags",
    value: string,
  ): Promise<string> {
    // No event type and no row key on an Instances row: DTFx fills the gaps as below.
    const blobName = `${escapedInstanceId}/history--${property}-${randomHex8()}-${property}.json.gz`;
    const blob = await this.upload(blobName, value);
    return withoutQuery(blob.url);
  }

  /** The absolute URL the Instances table keeps for a blob of this container. */
  urlOf(blobName: string): string {
    return withoutQuery(this.container.getBlockBlobClient(blobName).url);
  }

  /** Whether `value` is an absolute http(s) URL of a blob in this container. */
  isBlobUrl(value: string): boolean {
    return this.blobNameFromUrl(value) !== undefined;
  }

  /** The text of the blob a URL from `offloadInstanceValue` (or a message blob URL) points at. */
  async resolveInstanceValue(value: string): Promise<string> {
    const blobName = this.blobNameFromUrl(value);
    if (blobName === undefined) {
      throw new Error(`${value} is not a blob URL in container ${this.container.containerName}.`);
    }
    return this.download(this.container.getBlockBlobClient(blobName));
  }

  /**
   * Deletes every blob of an instance: message blobs are named by the raw instance id and
   * property blobs by the escaped one, so both prefixes are swept. Returns how many went.
   */
  async deleteInstanceBlobs(instanceId: string, escapedInstanceId: string): Promise<number> {
    const names = new Set<string>();
    try {
      for (const prefix of new Set([`${instanceId}/`, `${escapedInstanceId}/`])) {
        for await (const blob of this.container.listBlobsFlat({ prefix })) names.add(blob.name);
      }
    } catch (error) {
      if (isContainerNotFound(error)) return 0;
      throw error;
    }
    return this.deleteEach([...names]);
  }

  async deleteBlobs(names: readonly string[]): Promise<void> {
    await this.deleteEach(names);
  }

  private async deleteEach(names: readonly string[]): Promise<number> {
    let deleted = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < names.length) {
        const name = names[next++];
        try {
          const response = await this.container.getBlockBlobClient(name).deleteIfExists();
          if (response.succeeded) deleted++;
        } catch (error) {
          if (!isContainerNotFound(error)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(DELETE_CONCURRENCY, names.length) }, worker));
    return deleted;
  }

  private async upload(blobName: string, text: string): Promise<BlockBlobClient> {
    const body = await gzipAsync(Buffer.from(text, "utf8"));
    const blob = this.container.getBlockBlobClient(blobName);
    if (this.containerReady === undefined) {
      // Optimistic: on a hub that already has blobs the first upload needs no extra call.
      try {
        await blob.uploadData(body);
        this.containerReady = Promise.resolve();
        return blob;
      } catch (error) {
        if (!isContainerNotFound(error)) throw error;
      }
    }
    await this.ensureContainer();
    try {
      await blob.uploadData(body);
    } catch (error) {
      // Deleted behind our back (hub deletion by another process): create it once more.
      if (!isContainerNotFound(error)) throw error;
      this.containerReady = undefined;
      await this.ensureContainer();
      await blob.uploadData(body);
    }
    return blob;
  }

  private async download(blob: BlockBlobClient): Promise<string> {
    const gzipped = await blob.downloadToBuffer();
    return (await gunzipAsync(gzipped)).toString("utf8");
  }

  private blobNameFromUrl(value: string): string | undefined {
    if (!/^https?:\/\//i.test(value)) return undefined;
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return undefined;
    }
    const container = new URL(this.container.url);
    if (url.protocol !== container.protocol || url.host.toLowerCase() !== container.host.toLowerCase()) {
      return undefined;
    }
    const containerPath = container.pathname.replace(/\/+$/, "");
    if (!url.pathname.startsWith(`${containerPath}/`)) return undefined;
    const escaped = url.pathname.slice(containerPath.length + 1);
    if (escaped === "") return undefined;
    try {
      // The SDK escapes each path segment of a blob name; undo it the same way.
      return escaped.split("/").map(decodeURIComponent).join("/");
    } catch {
      return undefined;
    }
  }
}

function randomHex8(): string {
  return randomBytes(4).toString("hex").toUpperCase();
}

/** A SAS-authorised client's URLs carry the token; it must not end up in a table row. */
function withoutQuery(url: string): string {
  const parsed = new URL(url);
  parsed.search = "";
  return parsed.href;
}

function isContainerNotFound(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { statusCode, code, details } = error as {
    statusCode?: number;
    code?: string;
    details?: { errorCode?: string };
  };
  return statusCode === 404 && (code === "ContainerNotFound" || details?.errorCode === "ContainerNotFound");
}
