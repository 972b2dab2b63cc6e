import type { TaskHubClient } from "../../engine/client";
import { InstanceExistsError } from "../../providers/task-hub";
import { InstanceNotFoundError, InstanceStatusError } from "../../engine/errors";
import { ValueTooLargeError } from "../../engine/value-limits";
import {
  ApiError,
  BAD_ARGUMENTS_MESSAGE,
  SERVER_ERROR_MESSAGE,
  badRequest,
  errorResponse,
} from "./api-error";
import { handleEntityRoute } from "./entity-routes";
import { emptyResponse, type HostRequest, type HostResponse } from "./host-http";
import { instanceOperation, raiseEvent } from "./instance-operations";
import { checkStatusPayload, normalizeWebhookPath } from "./management-urls";
import { purgeInstance, purgeInstances } from "./purge-routes";
import { QueryParameters } from "./query-parameters";
import { requireValidInstanceId, type ApiSettings, type RouteContext } from "./route-context";
import { matchRoute, pathBelow, type Route } from "./routes";
import { restart, startNew } from "./start-routes";
import { getStatus, listInstances } from "./status-routes";
import { isAuthorized } from "./system-key";

export interface ManagementApiOptions {
  client: TaskHubClient;
  /** The one hub served; a `taskHub` parameter naming another is refused. */
  taskHubName: string;
  /** The connection the generated URLs name, e.g. "Storage". */
  connectionName: string;
  /** Whether an orchestrator of that name can run here; starts of anything else are refused. */
  hasOrchestrator(name: string): boolean;
  /** Default /runtime/webhooks/durabletask. */
  webhookPath?: string;
  /** When set, requests from anywhere but loopback must carry it (`code=` or x-functions-key). */
  systemKey?: string;
}

/** The Durable Functions HTTP management API (protocol §1), free of any server framework. */
export interface ManagementApi {
  /** The normalised base path the API answers under. */
  readonly webhookPath: string;
  /** The response, or undefined when the path is not under the webhook base. Never rejects. */
  handle(request: HostRequest): Promise<HostResponse | undefined>;
}

export function createManagementApi(options: ManagementApiOptions): ManagementApi {
  const webhookPath = normalizeWebhookPath(options.webhookPath);
  const settings: ApiSettings = {
    taskHubName: options.taskHubName,
    connectionName: options.connectionName,
    webhookPath,
    systemKey: options.systemKey || undefined,
    hasOrchestrator: (name) => options.hasOrchestrator(name),
  };
  return {
    webhookPath,
    async handle(request) {
      try {
        const segments = pathBelow(webhookPath, request.url.pathname);
        if (!segments) return undefined;
        const query = new QueryParameters(request.url.searchParams);
        if (!isAuthorized(request, settings.systemKey, query.get("code"))) return emptyResponse(401);
        const route = matchRoute(request.method.toUpperCase(), segments);
        if (!route) return emptyResponse(404);
        requireServedHub(query, settings);
        const context: RouteContext = {
          client: options.client,
          request,
          query,
          settings,
          checkStatus: (instanceId) =>
            checkStatusPayload(
              {
                origin: request.url.origin,
                webhookPath,
                taskHubName: settings.taskHubName,
                connectionName: settings.connectionName,
                code: settings.systemKey,
              },
              instanceId,
            ),
        };
        return await dispatch(route, context);
      } catch (error) {
        return responseFor(error);
      }
    },
  };
}

function dispatch(route: Route, context: RouteContext): Promise<HostResponse> {
  if ("instanceId" in route && route.instanceId !== undefined) requireValidInstanceId(route.instanceId);
  switch (route.kind) {
    case "startNew":
      return startNew(context, route.functionName, route.instanceId);
    case "getStatus":
      return getStatus(context, route.instanceId);
    case "listInstances":
      return listInstances(context);
    case "purge":
      return purgeInstance(context, route.instanceId);
    case "purgeBy":
      return purgeInstances(context);
    case "raiseEvent":
      return raiseEvent(context, route.instanceId, route.eventName);
    case "operation":
      return route.operation === "restart"
        ? restart(context, route.instanceId)
        : instanceOperation(context, route.instanceId, route.operation);
    case "signalEntity":
    case "readEntity":
    case "listEntities":
      return handleEntityRoute(context, route);
  }
}

/**
 * `taskHub` and `connection` select what the extension serves; this API serves one hub, so a
 * request naming another is refused rather than answered from the wrong one. The connection may
 * be named with or without the "AzureWebJobs" prefix, as Functions resolves it.
 */
function requireServedHub(query: QueryParameters, settings: ApiSettings): void {
  const taskHub = query.get("taskHub");
  if (taskHub !== undefined && taskHub.toLowerCase() !== settings.taskHubName.toLowerCase()) {
    throw badRequest(`This host serves the task hub '${settings.taskHubName}' only, not '${taskHub}'.`);
  }
  const connection = query.get("connection")?.toLowerCase();
  const served = settings.connectionName.toLowerCase();
  if (connection !== undefined && connection !== served && connection !== `azurewebjobs${served}`) {
    throw badRequest(
      `This host serves the connection '${settings.connectionName}' only, not '${query.get("connection")}'.`,
    );
  }
}

/** The extension's handler-wide mapping, plus the client's own errors. */
function responseFor(error: unknown): HostResponse {
  if (error instanceof ApiError) return error.response;
  if (error instanceof InstanceNotFoundError) return emptyResponse(404);
  if (error instanceof InstanceStatusError) {
    // A live instance in the wrong status is the extension's InvalidOperationException, which it
    // answers 500; it is the caller's mistake, so 409 here.
    return errorResponse(error.gone ? 410 : 409, error.message);
  }
  if (error instanceof InstanceExistsError) {
    // The extension answers 500 here too.
    return errorResponse(409, `${error.message} Wait until it has ended, or use another instance id.`);
  }
  if (error instanceof ValueTooLargeError) {
    return errorResponse(413, `The ${error.kind} is over the limit of ${error.limit} characters.`, error);
  }
  // RangeError is what our validation throws where .NET throws ArgumentException.
  if (error instanceof RangeError) return errorResponse(400, BAD_ARGUMENTS_MESSAGE, error);
  return errorResponse(500, SERVER_ERROR_MESSAGE, error);
}
