import { TaskHubClient } from "../engine/client";
import {
  AzureStorageTaskHub,
  resolveStorageConnection,
  storageClientsFromConnectionString,
  type AzureStorageTaskHubOptions,
} from "../providers/azure-storage";
import { defaultTaskHubName } from "../providers/azure-storage/names";

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
  env?: Record<string, string | undefined>;
}

/** Opens (creating it when missing) the Azure Storage task hub a function app uses. */
export async function openAzureStorageTaskHub(
  options: TaskHubConnectionOptions = {},
): Promise<AzureStorageTaskHub> {
  const env = options.env ?? process.env;
  const { connectionString, connectionName, hubName, env: _env, ...hubOptions } = options;
  const clients = connectionString
    ? storageClientsFromConnectionString(connectionString)
    : await resolveStorageConnection(connectionName ?? "AzureWebJobsStorage", env);
  const hub = new AzureStorageTaskHub({
    ...hubOptions,
    clients,
    hubName: hubName ?? defaultTaskHubName(env as NodeJS.ProcessEnv),
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
