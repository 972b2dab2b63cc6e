import { InstanceStatusError } from "../../engine/errors";
import { ApiError, badRequest } from "./api-error";
import { emptyResponse, jsonResponse, type HostResponse } from "./host-http";
import { mediaType, readJsonBody } from "./request-body";
import type { InstanceOperation } from "./routes";
import type { RouteContext } from "./route-context";

/** R6: POST instances/{instanceId}/raiseEvent/{eventName}. The name is used exactly as given. */
export async function raiseEvent(
  context: RouteContext,
  instanceId: string,
  eventName: string,
): Promise<HostResponse> {
  const { client, request } = context;
  // The extension answers 404 and 410 before it looks at the body.
  await client.requireEventsAccepted(instanceId);
  // No body at all is the JS client's raiseEvent(id, name, undefined): accept it as null
  // whatever the Content-Type says.
  let input: string | null = null;
  if (request.body.length > 0) {
    if (mediaType(request) !== "application/json") {
      throw badRequest("Only application/json request content is supported");
    }
    input = readJsonBody(request);
  }
  await client.sendEvent(instanceId, eventName, input);
  return emptyResponse(202);
}

/** R7–R10: POST instances/{instanceId}/{operation}?reason=… */
export async function instanceOperation(
  context: RouteContext,
  instanceId: string,
  operation: Exclude<InstanceOperation, "restart">,
): Promise<HostResponse> {
  const { client } = context;
  const reason = context.query.get("reason") ?? null;
  switch (operation) {
    case "terminate":
      await client.terminate(instanceId, reason);
      return emptyResponse(202);
    case "suspend":
      await client.suspend(instanceId, reason);
      return emptyResponse(202);
    case "resume":
      await client.resume(instanceId, reason);
      return emptyResponse(202);
    case "rewind":
      return rewind(context, instanceId, reason);
  }
}

/**
 * 412 for a live instance: durable-functions reads it as "only supported on failed
 * instances". The body is a JSON string because the client turns the parsed body into the
 * error message, and an object would read "[object Object]".
 */
async function rewind(
  context: RouteContext,
  instanceId: string,
  reason: string | null,
): Promise<HostResponse> {
  try {
    await context.client.rewind(instanceId, reason);
  } catch (error) {
    if (error instanceof InstanceStatusError && !error.gone) {
      throw new ApiError(jsonResponse(412, error.message));
    }
    throw error;
  }
  return emptyResponse(202);
}
