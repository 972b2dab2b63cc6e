/**
 * `durable-ts/task-hub`: reach a task hub in Azure Storage from any Node process, without a
 * host: start, query, raise events to and manage instances, or run a worker of your own.
 * Kept apart from the main entry so function apps do not load the storage SDKs.
 */
export {
  createTaskHubClient,
  openAzureStorageTaskHub,
  openConfiguredTaskHub,
  type ConfiguredTaskHub,
  type TaskHubConnectionOptions,
} from "./host/task-hub-connection";
export { TaskHubClient, type PurgeFilter, type StartOptions } from "./engine/client";
export { MAX_VALUE_LENGTH, ValueTooLargeError, type ValueKind } from "./engine/value-limits";
export { AzureStorageTaskHub, type AzureStorageTaskHubOptions } from "./providers/azure-storage";
export type { InstanceQuery, InstanceQueryPage, InstanceState, TaskHub } from "./providers/task-hub";
export {
  EntityClient,
  type CleanEntityStorageResult,
  type EntityMetadata,
  type EntityQuery,
  type EntityQueryPage,
  type EntityStateResult,
} from "./engine";
