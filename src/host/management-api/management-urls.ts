import {
  INSTANCE_ID_PLACEHOLDER,
  type CheckStatusPayload,
  type DurableClientBindingPayload,
  type HttpManagementPayload,
} from "../../protocol/client-payload";

export const DEFAULT_WEBHOOK_PATH = "/runtime/webhooks/durabletask";

/** Where the management API is reached and which hub its URLs name. */
export interface WebhookLocation {
  /** `scheme://host[:port]`; anything after it is ignored. */
  origin: string;
  /** Defaults to /runtime/webhooks/durabletask. */
  webhookPath?: string;
  taskHubName: string;
  /** The connection the URLs name, e.g. "Storage". */
  connectionName: string;
  /** The system key, sent as `code=`; absent when requests need none. */
  code?: string;
}

export interface DurableClientBindingOptions extends WebhookLocation {
  /**
   * Origin of `rpcBaseUrl`, the address the client functions' code calls; defaults to `origin`.
   * This host's rpc endpoint is the same handler on the same path, reached from loopback without
   * a key.
   */
  rpcOrigin?: string;
  /**
   * Path of `rpcBaseUrl`; defaults to the webhook path, where this host serves it. The
   * extension's own rpc listener answers under /durabletask/ instead.
   */
  rpcPath?: string;
}

/** `{origin}{webhookPath}`, e.g. http://localhost:7071/runtime/webhooks/durabletask. */
export function webhookBaseUrl(location: Pick<WebhookLocation, "origin" | "webhookPath">): string {
  return `${new URL(location.origin).origin}${normalizeWebhookPath(location.webhookPath)}`;
}

/** A leading slash and no trailing one, so paths can be appended with "/". */
export function normalizeWebhookPath(path: string = DEFAULT_WEBHOOK_PATH): string {
  const trimmed = path.replace(/^\/+|\/+$/g, "");
  return trimmed === "" ? "" : `/${trimmed}`;
}

/** The nine management URLs of one instance, in the extension's key order. */
export function httpManagementPayload(location: WebhookLocation, instanceId: string): HttpManagementPayload {
  const instance = `${webhookBaseUrl(location)}/instances/${encodeURIComponent(instanceId)}`;
  const suffix = [
    `taskHub=${encodeURIComponent(location.taskHubName)}`,
    `connection=${encodeURIComponent(location.connectionName)}`,
    ...codeParameter(location),
  ].join("&");
  return {
    id: instanceId,
    statusQueryGetUri: `${instance}?${suffix}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${suffix}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${suffix}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${suffix}`,
    purgeHistoryDeleteUri: `${instance}?${suffix}`,
    restartPostUri: `${instance}/restart?${suffix}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${suffix}`,
    resumePostUri: `${instance}/resume?reason={text}&${suffix}`,
  };
}

export interface CheckStatusOptions {
  /** Appended to statusQueryGetUri only, as the extension does. */
  returnInternalServerErrorOnFailure?: boolean;
}

/** The body of a 202 from the start and restart routes (protocol §1.4.1): no rewindPostUri. */
export function checkStatusPayload(
  location: WebhookLocation,
  instanceId: string,
  options: CheckStatusOptions = {},
): CheckStatusPayload {
  const { rewindPostUri: _rewind, ...urls } = httpManagementPayload(location, instanceId);
  if (options.returnInternalServerErrorOnFailure) {
    urls.statusQueryGetUri += "&returnInternalServerErrorOnFailure=true";
  }
  return urls;
}

/** The value of the durableClient input binding (protocol §2.1), before it is serialised. */
export function durableClientBindingPayload(
  options: DurableClientBindingOptions,
): DurableClientBindingPayload {
  const webhook = webhookBaseUrl(options);
  const required = codeParameter(options).join("&");
  const create = `${webhook}/orchestrators/{functionName}[/{instanceId}]`;
  const wait = "timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}";
  return {
    taskHubName: options.taskHubName,
    connectionName: null,
    creationUrls: {
      createNewInstancePostUri: `${create}?${required}`,
      createAndWaitOnNewInstancePostUri: `${create}?${wait}${required ? `&${required}` : ""}`,
    },
    managementUrls: httpManagementPayload(options, INSTANCE_ID_PLACEHOLDER),
    baseUrl: webhook,
    requiredQueryStringParameters: required,
    // The client resolves relative paths against it, so the trailing slash is essential.
    rpcBaseUrl: `${webhookBaseUrl({
      origin: options.rpcOrigin ?? options.origin,
      webhookPath: options.rpcPath ?? options.webhookPath,
    })}/`,
    httpBaseUrl: null,
  };
}

function codeParameter(location: WebhookLocation): string[] {
  return location.code ? [`code=${encodeURIComponent(location.code)}`] : [];
}
