import type { WorkProgressSnapshot } from "../../engine/work-progress";
import { jsonResponse, type HostRequest, type HostResponse } from "../management-api/host-http";
import { isAuthorized } from "../management-api/system-key";
import { packageVersion } from "../package-version";

/** Where Azure Functions answers with its host's status; ours adds the durable workers' progress. */
export const HOST_STATUS_PATH = "/admin/host/status";

export interface HostStatusSource {
  taskHubName: string;
  workerRunning(): boolean;
  progress(): WorkProgressSnapshot;
  /** When set, callers other than loopback need it, as for the management API. */
  systemKey?: string;
}

/** The status body: the Functions host's fields, and `durable` with what says whether work moves. */
export interface HostStatusBody {
  state: "Running" | "Stopped";
  version: string;
  /** Milliseconds since the process started. */
  processUptime: number;
  durable: WorkProgressSnapshot & {
    taskHub: string;
    workerRunning: boolean;
    /** Work items failed in the last minute and none finished: the workers are not making progress. */
    stalled: boolean;
  };
}

export function createHostStatusHandler(
  source: HostStatusSource,
): (request: HostRequest) => Promise<HostResponse | undefined> {
  const version = packageVersion();
  return async (request) => {
    if (request.url.pathname.toLowerCase() !== HOST_STATUS_PATH) return undefined;
    if (!isAuthorized(request, source.systemKey, request.url.searchParams.get("code") ?? undefined)) {
      return { status: 401, headers: {} };
    }
    if (request.method !== "GET") return jsonResponse(405, { Message: "Use GET." }, { Allow: "GET" });
    const progress = source.progress();
    const running = source.workerRunning();
    const total = (counts: Record<string, number>): number =>
      Object.values(counts).reduce((a, b) => a + b, 0);
    const body: HostStatusBody = {
      state: running ? "Running" : "Stopped",
      version,
      processUptime: Math.round(process.uptime() * 1000),
      durable: {
        taskHub: source.taskHubName,
        workerRunning: running,
        stalled: total(progress.failedLastMinute) > 0 && total(progress.completedLastMinute) === 0,
        ...progress,
      },
    };
    return jsonResponse(200, body);
  };
}
