export { AzureStorageTaskHub, type AzureStorageTaskHubOptions } from "./azure-storage-task-hub";
export {
  resolveStorageConnection,
  storageClientsFromConnectionString,
  type StorageClients,
} from "./connection";
export { readAzureStorageSettings, type AzureStorageSettings } from "./settings";
export { taskHubResourceNames, type TaskHubResourceNames } from "./names";
export { HistoryConflictError } from "./history-table";
