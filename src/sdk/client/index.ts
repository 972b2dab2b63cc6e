export { DurableClient } from "./durable-client";
export { getClient, isDurableClientInput } from "./get-client";
export { DurableOrchestrationStatus } from "./durable-orchestration-status";
export { OrchestrationRuntimeStatus } from "./orchestration-runtime-status";
export { PurgeHistoryResult } from "./purge-history-result";
export { HttpManagementPayload } from "./http-management-payload";
export {
  fetchTransport,
  getDefaultClientTransport,
  setDefaultClientTransport,
  type ClientRequest,
  type ClientResponse,
  type ClientTransport,
} from "./transport";
export type {
  GetStatusOptions,
  OrchestrationFilter,
  StartNewOptions,
  TaskHubOptions,
  WaitForCompletionOptions,
} from "./client-options";
export type * from "./client-function-types";
