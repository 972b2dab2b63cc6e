import { HttpResponse, type HttpRequest } from "@azure/functions";
import {
  CONTINUATION_TOKEN_HEADER,
  type DurableClientBindingPayload,
  type HttpManagementPayload,
} from "../../protocol";
import type { EntityId } from "../entity-id";
import { EntityStateResponse } from "../entity/entity-state-response";
import type {
  GetStatusOptions,
  OrchestrationFilter,
  StartNewOptions,
  StatusQuery,
  TaskHubOptions,
  WaitForCompletionOptions,
} from "./client-options";
import type { ClientRoutes } from "./client-routes";
import { DurableOrchestrationStatus } from "./durable-orchestration-status";
import { LegacyRoutes } from "./legacy-routes";
import { OrchestrationRuntimeStatus } from "./orchestration-runtime-status";
import { PurgeHistoryResult } from "./purge-history-result";
import { RpcRoutes } from "./rpc-routes";
import { distributedTracingHeaders } from "./trace-headers";
import { getDefaultClientTransport, type ClientTransport } from "./transport";
import { isWebhookUrl, replaceOrigin, webhookOrigins } from "./webhook-urls";
import { fromResponseBody, toRequestBody } from "./wire-body";

/** A response with its body read the way durable-functions reads it (see wire-body). */
interface ApiResponse {
  status: number;
  headers: Record<string, string>;
  data: unknown;
}

const JSON_POST_HEADERS = { "Content-Type": "application/json" };

/**
 * Starts, queries, signals and manages orchestration and entity instances through the host's
 * management API (protocol §2.2): same URLs, bodies and status-code handling as
 * durable-functions 3.5.0, so either package works against either host.
 */
export class DurableClient {
  /** The task hub of the binding. */
  readonly taskHubName: string;
  /** @hidden The distinct origins of the binding's webhook URLs. */
  readonly uniqueWebhookOrigins: string[];

  private readonly clientData: DurableClientBindingPayload;
  private readonly routes: ClientRoutes;

  /**
   * Apps get their client from `getClient(context)`. `clientData` is typed optional only because
   * durable-functions declares the class without constructor parameters; it is required.
   */
  constructor(
    clientData?: DurableClientBindingPayload,
    private readonly transport: ClientTransport = getDefaultClientTransport(),
  ) {
    if (!clientData) {
      throw new TypeError(`clientData: Expected OrchestrationClientInputData but got ${typeof clientData}`);
    }
    this.clientData = clientData;
    this.taskHubName = clientData.taskHubName;
    this.uniqueWebhookOrigins = webhookOrigins(clientData.creationUrls, clientData.managementUrls);
    this.routes = clientData.rpcBaseUrl ? new RpcRoutes(clientData.rpcBaseUrl) : new LegacyRoutes(clientData);
  }

  /** A 202 response carrying the instance's management URLs, with the request's origin. */
  createCheckStatusResponse(request: HttpRequest | undefined, instanceId: string): HttpResponse {
    const payload = this.managementPayload(request, instanceId);
    return new HttpResponse({
      status: 202,
      jsonBody: payload,
      headers: {
        "Content-Type": "application/json",
        Location: payload.statusQueryGetUri,
        "Retry-After": "10",
      },
    });
  }

  /** The instance's management URLs, as the binding gave them. */
  createHttpManagementPayload(instanceId: string): HttpManagementPayload {
    return this.managementPayload(undefined, instanceId);
  }

  async getStatus(instanceId: string, options: GetStatusOptions = {}): Promise<DurableOrchestrationStatus> {
    const response = await this.queryStatus({ instanceId, ...options });
    switch (response.status) {
      case 200:
      case 202:
      case 400:
        if (!response.data) {
          throw new Error(
            `DurableClient error: the Durable Functions extension replied with an empty HTTP ${response.status} response.`,
          );
        }
        try {
          return new DurableOrchestrationStatus(response.data);
        } catch (error) {
          throw new Error(
            "DurableClient error: could not construct a DurableOrchestrationStatus object using the data " +
              `received from the Durable Functions extension: ${(error as Error).message}`,
            { cause: error },
          );
        }
      case 404: {
        let message =
          "DurableClient error: Durable Functions extension replied with HTTP 404 response. " +
          `This usually means we could not find any data associated with the instanceId provided: ${instanceId}.`;
        if (response.data) {
          message += ` Details: ${JSON.stringify(response.data)}`;
        }
        throw new Error(message);
      }
      default:
        throw unexpectedStatus(response);
    }
  }

  /** Every instance, as the raw status objects of the API (dates stay strings). */
  async getStatusAll(): Promise<DurableOrchestrationStatus[]> {
    return this.statusList({});
  }

  /** The instances matching `filter`, as the raw status objects of the API. */
  async getStatusBy(filter: OrchestrationFilter): Promise<DurableOrchestrationStatus[]> {
    return this.statusList(filter);
  }

  async purgeInstanceHistory(instanceId: string): Promise<PurgeHistoryResult> {
    return this.purge(this.routes.purge(instanceId));
  }

  async purgeInstanceHistoryBy(filter: OrchestrationFilter): Promise<PurgeHistoryResult> {
    return this.purge(this.routes.purgeBy(filter));
  }

  /** Sends an event to an instance. Instances that already finished (410) ignore it silently. */
  async raiseEvent(
    instanceId: string,
    eventName: string,
    eventData: unknown,
    options: TaskHubOptions = {},
  ): Promise<void> {
    if (!eventName) {
      throw new Error("eventName must be a valid string.");
    }
    const url = this.routes.raiseEvent(instanceId, eventName, options);
    const response = await this.send("POST", url, JSON.stringify(eventData));
    this.expectInstanceOperation(response, instanceId);
  }

  async readEntityState<T>(
    entityId: EntityId,
    options: TaskHubOptions = {},
  ): Promise<EntityStateResponse<T>> {
    const response = await this.send("GET", this.routes.readEntityState(entityId, options));
    switch (response.status) {
      case 200:
        return new EntityStateResponse(true, response.data as T);
      case 404:
        return new EntityStateResponse<T>(false);
      default:
        throw unexpectedStatus(response);
    }
  }

  /** Rewinds a failed instance (preview feature of the host). */
  async rewind(instanceId: string, reason: string, options: TaskHubOptions = {}): Promise<void> {
    const response = await this.send("POST", this.routes.rewind(instanceId, reason, options));
    switch (response.status) {
      case 202:
        return;
      case 404:
        throw errorFromBody(response, `No instance with ID '${instanceId}' found.`);
      case 412:
        throw errorFromBody(
          response,
          "The rewind operation is only supported on failed orchestration instances.",
        );
      case 501:
        throw errorFromBody(
          response,
          "The rewind operation is not supported by the underlying storage provider.",
        );
      default:
        throw unexpectedStatus(response);
    }
  }

  async signalEntity(
    entityId: EntityId,
    operationName?: string,
    operationContent?: unknown,
    options: TaskHubOptions = {},
  ): Promise<void> {
    const url = this.routes.signalEntity(entityId, operationName, options);
    const response = await this.send(
      "POST",
      url,
      JSON.stringify(operationContent),
      distributedTracingHeaders(),
    );
    if (response.status !== 202) {
      throw unexpectedStatus(response);
    }
  }

  /** Starts an orchestration and returns its instance id. */
  async startNew(orchestratorFunctionName: string, options?: StartNewOptions): Promise<string> {
    if (!orchestratorFunctionName) {
      throw new Error("orchestratorFunctionName must be a valid string.");
    }
    const url = this.routes.startNew(orchestratorFunctionName, options?.instanceId, options?.version);
    const input = options?.input !== undefined ? JSON.stringify(options.input) : "";
    const response = await this.send("POST", url, input, distributedTracingHeaders());
    if (response.data && response.status <= 202) {
      return (response.data as { id: string }).id;
    }
    throw unexpectedStatus(response);
  }

  async terminate(instanceId: string, reason: string): Promise<void> {
    const response = await this.send("POST", this.routes.terminate(instanceId, reason));
    this.expectInstanceOperation(response, instanceId);
  }

  async suspend(instanceId: string, reason: string): Promise<void> {
    const response = await this.send("POST", this.routes.suspend(instanceId, reason));
    this.expectInstanceOperation(response, instanceId);
  }

  async resume(instanceId: string, reason: string): Promise<void> {
    const response = await this.send("POST", this.routes.resume(instanceId, reason));
    this.expectInstanceOperation(response, instanceId);
  }

  /**
   * Polls the instance until it finishes or the timeout passes. Finished: 200 with the output
   * (Completed) or the whole status (Canceled, Terminated), 500 with the status (Failed).
   * Otherwise the check-status response.
   */
  async waitForCompletionOrCreateCheckStatusResponse(
    request: HttpRequest,
    instanceId: string,
    waitOptions: WaitForCompletionOptions = {},
  ): Promise<HttpResponse> {
    const timeout = waitOptions.timeoutInMilliseconds ?? 10000;
    const retryInterval = waitOptions.retryIntervalInMilliseconds ?? 1000;
    if (retryInterval > timeout) {
      throw new Error(
        `Total timeout ${timeout} (ms) should be bigger than retry timeout ${retryInterval} (ms)`,
      );
    }
    const start = performance.now();
    for (;;) {
      const status = await this.getStatus(instanceId);
      switch (status.runtimeStatus) {
        case OrchestrationRuntimeStatus.Completed:
          return jsonResponse(200, status.output);
        case OrchestrationRuntimeStatus.Canceled:
        case OrchestrationRuntimeStatus.Terminated:
          return jsonResponse(200, status);
        case OrchestrationRuntimeStatus.Failed:
          return jsonResponse(500, status);
      }
      const elapsed = performance.now() - start;
      if (elapsed >= timeout) {
        return this.createCheckStatusResponse(request, instanceId);
      }
      await sleep(Math.min(retryInterval, timeout - elapsed));
    }
  }

  private managementPayload(request: HttpRequest | undefined, instanceId: string): HttpManagementPayload {
    const placeholder = this.clientData.managementUrls.id;
    const requestOrigin = request?.url !== undefined ? () => new URL(request.url).origin : undefined;
    const payload: Record<string, string> = { ...this.clientData.managementUrls };
    for (const key of Object.keys(payload)) {
      let value = payload[key];
      if (requestOrigin && isWebhookUrl(value)) {
        value = replaceOrigin(value, requestOrigin());
      }
      payload[key] = value.replace(placeholder, instanceId);
    }
    return payload as unknown as HttpManagementPayload;
  }

  private async statusList(query: StatusQuery): Promise<DurableOrchestrationStatus[]> {
    const response = await this.queryStatus(query);
    if (response.status !== 200) {
      throw unexpectedStatus(response);
    }
    return response.data as DurableOrchestrationStatus[];
  }

  /**
   * GETs a status URL and keeps following `x-ms-continuation-token`, appending each page to the
   * previous ones; the last response is returned with the accumulated data.
   */
  private async queryStatus(query: StatusQuery): Promise<ApiResponse> {
    const url = this.routes.status(query);
    let response = await this.send("GET", url);
    let token = response.headers[CONTINUATION_TOKEN_HEADER];
    while (token) {
      const previous = response.data;
      response = await this.send("GET", url, undefined, { [CONTINUATION_TOKEN_HEADER]: token });
      response.data = appendPage(previous, response.data);
      token = response.headers[CONTINUATION_TOKEN_HEADER];
    }
    return response;
  }

  private async purge(url: string): Promise<PurgeHistoryResult> {
    const response = await this.send("DELETE", url);
    switch (response.status) {
      case 200:
        return response.data as PurgeHistoryResult;
      case 404:
        return new PurgeHistoryResult(0);
      default:
        throw unexpectedStatus(response);
    }
  }

  /** raiseEvent, terminate, suspend and resume: 202 done, 410 already finished, 404 unknown. */
  private expectInstanceOperation(response: ApiResponse, instanceId: string): void {
    switch (response.status) {
      case 202:
      case 410:
        return;
      case 404:
        throw new Error(`No instance with ID '${instanceId}' found.`);
      default:
        throw unexpectedStatus(response);
    }
  }

  private async send(
    method: "GET" | "POST" | "DELETE",
    url: string,
    data?: string,
    extraHeaders: Record<string, string> = {},
  ): Promise<ApiResponse> {
    const headers = method === "POST" ? { ...JSON_POST_HEADERS, ...extraHeaders } : extraHeaders;
    const body = method === "POST" ? toRequestBody(data) : undefined;
    const response = await this.transport.request({ method, url, headers, body });
    return {
      status: response.status,
      headers: lowerCaseKeys(response.headers),
      data: fromResponseBody(response.body),
    };
  }
}

function unexpectedStatus(response: ApiResponse): Error {
  return new Error(
    `The operation failed with an unexpected status code: ${response.status}. Details: ${JSON.stringify(response.data)}`,
  );
}

/** The host's own text when it sent one, else `fallback`. */
function errorFromBody(response: ApiResponse, fallback: string): Error {
  return new Error(response.data ? String(response.data) : fallback);
}

function jsonResponse(status: number, body: unknown): HttpResponse {
  return new HttpResponse({ status, jsonBody: body, headers: { "Content-Type": "application/json" } });
}

/** Array.prototype.concat semantics: a page that is an array is flattened into the previous ones. */
function appendPage(previous: unknown, page: unknown): unknown {
  if (Array.isArray(previous)) {
    return previous.concat(page);
  }
  if (typeof previous === "string") {
    return previous.concat(String(page));
  }
  throw new TypeError("A continuation token was returned for a response that is not a list.");
}

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    result[name.toLowerCase()] = value;
  }
  return result;
}

function sleep(milliseconds: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}
