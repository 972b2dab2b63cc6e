import type { ContainerClient } from "@azure/storage-blob";

/**
 * Writes `taskhub.json` in the leases container, once: the name and partition count the hub
 * was created with, which the scale controller reads (reference §1.4).
 */
export async function writeTaskHubInfo(
  leases: ContainerClient,
  hubName: string,
  partitionCount: number,
  now: Date,
): Promise<void> {
  const body = JSON.stringify({
    TaskHubName: hubName,
    CreatedAt: now.toISOString().replace(/\.(\d{3})Z$/, ".$10000Z"),
    PartitionCount: partitionCount,
  });
  try {
    await leases.getBlockBlobClient("taskhub.json").upload(body, Buffer.byteLength(body), {
      conditions: { ifNoneMatch: "*" },
      blobHTTPHeaders: { blobContentType: "application/json" },
    });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status !== 409 && status !== 412) throw error;
  }
}
