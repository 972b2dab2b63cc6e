/** Which app setting asks for the storage emulator, and where it then connects. */
import { readAzureStorageSettings } from "../../providers/azure-storage";
import {
  DEV_ACCOUNT_KEY,
  DEV_ACCOUNT_NAME,
  isDevelopmentStorage,
  readAppSetting,
} from "../../providers/azure-storage/connection";
import { areDevelopmentStoragePorts, type StoragePorts } from "./local-storage-place";

/**
 * The app setting holding `UseDevelopmentStorage=true` for the storage connection host.json
 * names, or undefined when that connection is something else. Throws, as
 * `readAzureStorageSettings` does, for invalid `extensions.durableTask` settings.
 */
export function developmentStorageSetting(
  hostJson: unknown,
  env: Record<string, string | undefined>,
): string | undefined {
  const { connectionName } = readAzureStorageSettings(hostJson, env);
  // Functions also tries the name with an AzureWebJobs prefix (see connection.ts).
  const candidates = connectionName.toLowerCase().startsWith("azurewebjobs")
    ? [connectionName]
    : [connectionName, `AzureWebJobs${connectionName}`];
  const name = candidates.find((candidate) => readAppSetting(env, candidate) !== undefined);
  const value = name === undefined ? undefined : readAppSetting(env, name);
  // A proxy URI sends the emulator's traffic to another machine, which is not ours to start.
  const local =
    value !== undefined &&
    isDevelopmentStorage(value) &&
    !/(^|;)\s*DevelopmentStorageProxyUri\s*=/i.test(value);
  return local ? name : undefined;
}

/** Whether `durable start` should make sure the local storage is there. */
export function usesDevelopmentStorage(hostJson: unknown, env: Record<string, string | undefined>): boolean {
  return developmentStorageSetting(hostJson, env) !== undefined;
}

/**
 * The connection string `UseDevelopmentStorage=true` stands for, on the local storage's ports:
 * undefined when they are the emulator's own, as the shorthand then says it all.
 */
export function localStorageConnectionString(ports: StoragePorts): string | undefined {
  if (areDevelopmentStoragePorts(ports)) return undefined;
  const endpoint = (port: number) => `http://127.0.0.1:${port}/${DEV_ACCOUNT_NAME}`;
  return (
    `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT_NAME};AccountKey=${DEV_ACCOUNT_KEY};` +
    `BlobEndpoint=${endpoint(ports.blob)};QueueEndpoint=${endpoint(ports.queue)};` +
    `TableEndpoint=${endpoint(ports.table)};`
  );
}
