import { TaskHubClient } from "../engine/client";
import type { WorkerOptions } from "../engine/worker";
import {
  AzureStorageTaskHub,
  readAzureStorageSettings,
  resolveStorageConnection,
  storageClientsFromConnectionString,
  type AzureStorageSettings,
  type AzureStorageTaskHubOptions,
} from "../providers/azure-storage";
import { DEFAULT_CONNECTION_NAME } from "../providers/azure-storage/connection";
import { defaultTaskHubName } from "../providers/azure-storage/names";

type AppSettings = Record<string, string | undefined>;

export interface TaskHubConnectionOptions extends Partial<
  Omit<AzureStorageTaskHubOptions, "clients" | "hubName">
> {
  /** A storage connection string; when absent, the setting named `connectionName` is used. */
  connectionString?: string;
  /**
   * The app setting (environment variable) holding the connection, resolved as Azure Functions
   * does, identity-based settings (`<name>__accountName`...) included. Default AzureWebJobsStorage.
   */
  connectionName?: string;
  /** Default: as Durable Functions, the sanitised WEBSITE_SITE_NAME, else "TestHubName". */
  hubName?: string;
  env?: AppSettings;
}

/** Opens (creating it when missing) the Azure Storage task hub a function app uses. */
export async function openAzureStorageTaskHub(
  options: TaskHubConnectionOptions = {},
): Promise<AzureStorageTaskHub> {
  const { connectionString, connectionName, hubName, env = process.env, ...hubOptions } = options;
  const clients = connectionString
    ? storageClientsFromConnectionString(connectionString)
    : await resolveStorageConnection(connectionName ?? DEFAULT_CONNECTION_NAME, env);
  const hub = new AzureStorageTaskHub({
    ...hubOptions,
    clients,
    hubName: hubName ?? defaultTaskHubName(env),
  });
  await hub.createIfNotExists();
  return hub;
}

/**
 * A client for a task hub from any Node process (a web app, a script beside the function app):
 * start, query, raise events to and manage instances without running a host.
 */
export async function createTaskHubClient(options: TaskHubConnectionOptions = {}): Promise<TaskHubClient> {
  return new TaskHubClient(await openAzureStorageTaskHub(options));
}

/** The parts of the worker's options that host.json sets. */
export type HostWorkerOptions = Pick<
  WorkerOptions,
  "maxConcurrentActivities" | "maxConcurrentOrchestrations" | "entitySettings"
>;

/** The worker limits host.json sets, whichever hub the worker runs on. */
export function hostWorkerOptions(settings: AzureStorageSettings): HostWorkerOptions {
  return {
    maxConcurrentActivities: settings.maxConcurrentActivityFunctions,
    maxConcurrentOrchestrations: settings.maxConcurrentOrchestratorFunctions,
    entitySettings: { maxEntityOperationBatchSize: settings.maxEntityOperationBatchSize },
  };
}

export interface ConfiguredTaskHub {
  hub: AzureStorageTaskHub;
  settings: AzureStorageSettings;
  /** The concurrency limits of host.json, for the worker that runs on this hub. */
  workerOptions: HostWorkerOptions;
}

/**
 * Opens the task hub a function app's host.json describes (`extensions.durableTask`), with the
 * connection resolved from the app settings in `env`, as the Durable Functions extension does.
 */
export async function openConfiguredTaskHub(
  hostJson: unknown,
  env: AppSettings = process.env,
  overrides: Partial<Omit<AzureStorageTaskHubOptions, "clients" | "hubName">> = {},
): Promise<ConfiguredTaskHub> {
  const settings = readAzureStorageSettings(hostJson, env);
  const hub = await openAzureStorageTaskHub({
    connectionName: settings.connectionName,
    hubName: settings.hubName,
    env,
    partitionCount: settings.partitionCount,
    controlQueueBatchSize: settings.controlQueueBatchSize,
    controlQueueBufferThreshold: settings.controlQueueBufferThreshold,
    controlQueueVisibilityTimeoutMs: settings.controlQueueVisibilityTimeoutMs,
    workItemQueueVisibilityTimeoutMs: settings.workItemQueueVisibilityTimeoutMs,
    maxQueuePollingIntervalMs: settings.maxQueuePollingIntervalMs,
    maxDequeueCount: settings.maxDequeueCount,
    ...overrides,
  });
  return {
    hub,
    settings,
    workerOptions: hostWorkerOptions(settings),
  };
}
