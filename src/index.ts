/**
 * The public surface of durable-ts: the same exports as durable-functions 3.5.0, so
 * `import * as df from "durable-ts"` is a drop-in replacement, plus a few additions marked below.
 */

export * as app from "./sdk/app";
export * as trigger from "./sdk/trigger";
export * as input from "./sdk/input";

export { getClient } from "./sdk/client/get-client";
export { RetryOptions } from "./sdk/retry-options";
export { EntityId } from "./sdk/entity-id";
export { DurableLock } from "./sdk/durable-lock";
export { ManagedIdentityTokenSource, type TokenSource } from "./sdk/http";
export {
  AggregatedError,
  DurableError,
  LockingRulesViolationError,
  TaskFailedError,
  type FailureDetails,
} from "./sdk/errors";

// Activities
export type {
  ActivityHandler,
  ActivityOptions,
  ActivityTrigger,
  RegisteredActivity,
  RegisteredActivityTask,
} from "./sdk/activity";

// Entities
export {
  DummyEntityContext,
  EntityStateResponse,
  type DurableEntityContext,
  type EntityContext,
  type EntityHandler,
  type EntityOptions,
  type EntityTrigger,
} from "./sdk/entity";

// Orchestrations
export { DurableOrchestrationContext, DummyOrchestrationContext, LockState } from "./sdk/orchestration";
export type {
  CallHttpOptions,
  OrchestrationContext,
  OrchestrationHandler,
  OrchestrationOptions,
  OrchestrationTrigger,
  RegisteredOrchestration,
  RegisteredOrchestrationTask,
  Task,
  TimerTask,
} from "./sdk/orchestration";

// Durable client
export {
  DurableClient,
  DurableOrchestrationStatus,
  HttpManagementPayload,
  OrchestrationRuntimeStatus,
  PurgeHistoryResult,
  type CosmosDBDurableClientHandler,
  type CosmosDBDurableClientOptions,
  type CosmosDBv3DurableClientOptions,
  type CosmosDBv4DurableClientOptions,
  type DurableClientHandler,
  type DurableClientInput,
  type DurableClientOptions,
  type EventGridDurableClientHandler,
  type EventGridDurableClientOptions,
  type EventHubDurableClientHandler,
  type EventHubDurableClientOptions,
  type GetStatusOptions,
  type HttpDurableClientHandler,
  type HttpDurableClientOptions,
  type OrchestrationFilter,
  type ServiceBusQueueDurableClientHandler,
  type ServiceBusQueueDurableClientOptions,
  type ServiceBusTopicDurableClientHandler,
  type ServiceBusTopicDurableClientOptions,
  type StartNewOptions,
  type StorageBlobDurableClientHandler,
  type StorageBlobDurableClientOptions,
  type StorageQueueDurableClientHandler,
  type StorageQueueDurableClientOptions,
  type TaskHubOptions,
  type TimerDurableClientHandler,
  type TimerDurableClientOptions,
  type WaitForCompletionOptions,
} from "./sdk/client";

export type { ExceptionPropertiesProvider } from "./sdk/exception-properties-provider";

// Additions: how a DurableClient reaches the host, replaceable by an in-process host.
export {
  setDefaultClientTransport,
  type ClientRequest,
  type ClientResponse,
  type ClientTransport,
} from "./sdk/client";
