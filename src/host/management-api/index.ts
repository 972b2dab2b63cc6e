export { createManagementApi, type ManagementApi, type ManagementApiOptions } from "./management-api";
export { JSON_CONTENT_TYPE, type HostRequest, type HostResponse } from "./host-http";
export {
  DEFAULT_WEBHOOK_PATH,
  checkStatusPayload,
  durableClientBindingPayload,
  httpManagementPayload,
  normalizeWebhookPath,
  webhookBaseUrl,
  type CheckStatusOptions,
  type DurableClientBindingOptions,
  type WebhookLocation,
} from "./management-urls";
export { isAuthorized } from "./system-key";
