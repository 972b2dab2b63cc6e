import { jsonResponse, type HostRequest, type HostResponse } from "../management-api/host-http";
import { isLoopback } from "../management-api/system-key";
import type { StorageOperationCounter } from "./storage-operations";

/** Where the host answers with its own figures, when started with DURABLE_TS_DIAGNOSTICS set. */
export const DIAGNOSTICS_PATH = "/admin/durable-ts/diagnostics";

/**
 * The host's figures for benchmarks: storage requests so far and the time they took, by kind;
 * peak and current memory.
 * Only loopback peers are answered: the figures are harmless but nobody else's business.
 */
export function createDiagnosticsHandler(
  counter: StorageOperationCounter | undefined,
): (request: HostRequest) => Promise<HostResponse | undefined> {
  return async (request) => {
    if (request.url.pathname !== DIAGNOSTICS_PATH) return undefined;
    if (request.remoteAddress === undefined || !isLoopback(request.remoteAddress)) return undefined;
    if (request.method !== "GET") return jsonResponse(405, { Message: "Use GET." });
    const usage = process.resourceUsage();
    return jsonResponse(200, {
      storageOperations: counter?.snapshot() ?? {},
      storageMilliseconds: counter?.timesSnapshot() ?? {},
      // resourceUsage reports kilobytes.
      peakRssBytes: usage.maxRSS * 1024,
      rssBytes: process.memoryUsage.rss(),
    });
  };
}
