import { MAX_INSTANCE_ID_LENGTH } from "../../engine/client";
import { toStatusBody } from "../../engine/status-body";
import type { RuntimeStatusName } from "../../protocol/status";
import { emptyResponse, jsonResponse, type HostResponse } from "./host-http";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, continuationHeaders, requestedContinuationToken } from "./paging";
import type { RouteContext } from "./route-context";

/** Statuses a caller should poll again (202); the others are final (200). */
const IN_PROGRESS: readonly RuntimeStatusName[] = ["Running", "Pending", "ContinuedAsNew", "Suspended"];

/** R2: GET instances/{instanceId}. */
export async function getStatus(context: RouteContext, instanceId: string): Promise<HostResponse> {
  const { client, query, request } = context;
  const showHistory = query.boolean("showHistory", false);
  const showHistoryOutput = query.boolean("showHistoryOutput", false);
  const showInput = query.boolean("showInput", true);
  const failWith500 = query.boolean("returnInternalServerErrorOnFailure", false);
  const state = await client.getInstance(instanceId);
  if (!state) return emptyResponse(404);
  const history = showHistory ? await client.getHistory(instanceId) : undefined;
  const body = toStatusBody(state, history, { showHistory, showHistoryOutput, showInput });
  if (IN_PROGRESS.includes(state.runtimeStatus)) {
    return jsonResponse(202, body, { Location: request.url.href, "Retry-After": "5" });
  }
  return jsonResponse(state.runtimeStatus === "Failed" && failWith500 ? 500 : 200, body);
}

/**
 * R3: GET instances/. Always paged, like the extension, so a large hub is never read at once.
 * The continuation header is left out on the last page: the JS client follows any non-empty one.
 */
export async function listInstances(context: RouteContext): Promise<HostResponse> {
  const { client, query, request } = context;
  const showInput = query.boolean("showInput", true);
  const page = await client.query({
    createdTimeFrom: query.date("createdTimeFrom"),
    createdTimeTo: query.date("createdTimeTo"),
    runtimeStatus: query.runtimeStatuses(),
    // No instance id is longer, so a longer prefix is a mistake.
    instanceIdPrefix: query.text("instanceIdPrefix", MAX_INSTANCE_ID_LENGTH),
    pageSize: query.positiveInteger("top", MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE,
    continuationToken: requestedContinuationToken(request),
    fetchInputsAndOutputs: true,
  });
  const body = page.instances.map((state) => toStatusBody(state, undefined, { showInput }));
  return jsonResponse(200, body, continuationHeaders(page.continuationToken));
}
