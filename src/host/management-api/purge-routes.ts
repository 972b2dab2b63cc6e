import type { PurgeResultBody } from "../../protocol/status";
import { ApiError } from "./api-error";
import { emptyResponse, jsonResponse, type HostResponse } from "./host-http";
import type { RouteContext } from "./route-context";

/** R4: DELETE instances/{instanceId}. */
export async function purgeInstance(context: RouteContext, instanceId: string): Promise<HostResponse> {
  return purgeResult(await context.client.purge(instanceId));
}

/** R5: DELETE instances/ with a created-time range and optional statuses. */
export async function purgeInstances(context: RouteContext): Promise<HostResponse> {
  const { client, query } = context;
  const createdTimeFrom = query.date("createdTimeFrom");
  if (createdTimeFrom === undefined) {
    // The extension answers with a JSON string here, not an error object.
    throw new ApiError(jsonResponse(400, "Please provide value for 'createdTimeFrom' parameter."));
  }
  const runtimeStatus = query.runtimeStatuses();
  const deleted = await client.purgeBy({
    createdTimeFrom,
    createdTimeTo: query.date("createdTimeTo"),
    runtimeStatus,
  });
  return purgeResult(deleted);
}

function purgeResult(instancesDeleted: number): HostResponse {
  if (instancesDeleted === 0) return emptyResponse(404);
  const body: PurgeResultBody = { instancesDeleted };
  return jsonResponse(200, body);
}
