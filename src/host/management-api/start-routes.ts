import { InstanceNotFoundError, isTerminalStatus } from "../../engine/errors";
import { toStatusBody } from "../../engine/status-body";
import { ApiError, badRequest, errorResponse } from "./api-error";
import { jsonResponse, type HostResponse } from "./host-http";
import { readJsonBody } from "./request-body";
import { requireOrchestrator, type RouteContext } from "./route-context";

/** R1: POST orchestrators/{functionName}/{instanceId?}. Everything is checked before the start. */
export async function startNew(
  context: RouteContext,
  functionName: string,
  instanceId: string | undefined,
): Promise<HostResponse> {
  requireOrchestrator(context, functionName);
  const waitMs = waitTimeout(context);
  const input = readJsonBody(context.request);
  const version = context.query.get("version");
  const id = await context.client.startNew(functionName, { instanceId, input, version });
  return respondAfterStart(context, id, waitMs);
}

/** R11: POST instances/{instanceId}/restart. */
export async function restart(context: RouteContext, instanceId: string): Promise<HostResponse> {
  const withNewId = context.query.boolean("restartWithNewInstanceId", true);
  const waitMs = waitTimeout(context);
  const state = await context.client.getInstance(instanceId);
  if (!state) throw notAnInstance(new InstanceNotFoundError(instanceId));
  requireOrchestrator(context, state.name);
  let id: string;
  try {
    id = await context.client.restart(instanceId, withNewId);
  } catch (error) {
    // Purged between the two reads.
    if (error instanceof InstanceNotFoundError) throw notAnInstance(error);
    throw error;
  }
  return respondAfterStart(context, id, waitMs);
}

/**
 * The check-status 202, or with `timeout` and `pollingInterval` the result once the instance
 * ends in time. The hub's change notices wake the wait, so the interval only has to be valid.
 */
async function respondAfterStart(
  context: RouteContext,
  instanceId: string,
  waitMs: number | undefined,
): Promise<HostResponse> {
  if (waitMs !== undefined) {
    const state = await context.client.waitForCompletion(instanceId, waitMs);
    if (state && isTerminalStatus(state.runtimeStatus)) {
      const body = toStatusBody(state, undefined);
      return jsonResponse(200, state.runtimeStatus === "Completed" ? body.output : body);
    }
  }
  const payload = context.checkStatus(instanceId);
  return jsonResponse(202, payload, { Location: payload.statusQueryGetUri, "Retry-After": "10" });
}

/**
 * The longest wait a request may ask for: Azure's front end drops an HTTP request that has not
 * been answered in 230 seconds, so a longer wait could never be answered there.
 */
const MAX_WAIT_SECONDS = 230;

/** How long to wait, when both `timeout` and `pollingInterval` ask for it (validated before any start). */
function waitTimeout(context: RouteContext): number | undefined {
  const timeoutMs = context.query.seconds("timeout", MAX_WAIT_SECONDS);
  const pollingIntervalMs = context.query.seconds("pollingInterval", MAX_WAIT_SECONDS);
  if (timeoutMs === undefined || pollingIntervalMs === undefined) return undefined;
  if (pollingIntervalMs > timeoutMs) {
    throw badRequest(
      `Total timeout ${timeoutMs / 1000} should be bigger than retry timeout ${pollingIntervalMs / 1000}.`,
    );
  }
  return timeoutMs;
}

function notAnInstance(error: Error): ApiError {
  return new ApiError(errorResponse(400, "InstanceId does not match a valid orchestration instance.", error));
}
