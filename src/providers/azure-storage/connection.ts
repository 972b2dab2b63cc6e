/**
 * Turns a Functions storage connection name (default `AzureWebJobsStorage`) into clients for
 * the blob, queue and table services, the way Azure Functions resolves it: a connection string
 * in the setting itself, or an identity-based connection spread over `<name>__*` settings.
 */
import {
  AzureNamedKeyCredential,
  AzureSASCredential,
  TableClient,
  TableServiceClient,
  type TableServiceClientOptions,
} from "@azure/data-tables";
import type { TokenCredential } from "@azure/identity";
import {
  BlobServiceClient,
  StorageSharedKeyCredential as BlobSharedKeyCredential,
} from "@azure/storage-blob";
import {
  QueueServiceClient,
  StorageSharedKeyCredential as QueueSharedKeyCredential,
} from "@azure/storage-queue";
import { tableBodyPolicy } from "./table-body-policy";
import {
  DEFAULT_REQUEST_TIMEOUT_MS,
  blobPipeline,
  queuePipeline,
  tableRequestTimeoutPolicy,
} from "./request-timeouts";

export const DEFAULT_CONNECTION_NAME = "AzureWebJobsStorage";

export interface StorageClients {
  accountName: string;
  tableService: TableServiceClient;
  queueService: QueueServiceClient;
  blobService: BlobServiceClient;
  table(name: string): TableClient;
}

export interface StorageClientOptions {
  /**
   * How long one try of a storage request may take before it is abandoned (and retried by the
   * SDK's policy). Without it a service that never answers would hold an episode for ever.
   */
  requestTimeoutMs?: number;
}

export interface ResolveStorageConnectionOptions {
  /**
   * Used for identity-based connections instead of building one from the `__credential`
   * settings, so an app can bring its own (and @azure/identity is then never loaded).
   */
  credential?: TokenCredential;
}

type AppSettings = Record<string, string | undefined>;

/**
 * Reads an app setting as .NET configuration does: names are case-insensitive and `:` is the
 * same separator as `__`. Blank values count as unset, as Functions treats them.
 */
export function readAppSetting(env: AppSettings, name: string): string | undefined {
  const exact = env[name];
  if (exact !== undefined) return exact.trim() === "" ? undefined : exact;
  const wanted = normalizeSettingName(name);
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value.trim() !== "" && normalizeSettingName(key) === wanted) return value;
  }
  return undefined;
}

function normalizeSettingName(name: string): string {
  return name.replace(/:/g, "__").toLowerCase();
}

/** Whether `value` is the emulator shorthand `UseDevelopmentStorage=true`. Never throws. */
export function isDevelopmentStorage(value: string): boolean {
  try {
    const parts = parseConnectionString(value);
    return parts.get("usedevelopmentstorage")?.value.toLowerCase() === "true";
  } catch {
    return false;
  }
}

/**
 * Resolves the storage connection `connectionName`: the setting itself (or `AzureWebJobs<name>`,
 * as Functions also tries) holding a connection string, or identity settings under `<name>__`.
 */
export async function resolveStorageConnection(
  connectionName: string = DEFAULT_CONNECTION_NAME,
  env: AppSettings = process.env,
  options: ResolveStorageConnectionOptions = {},
): Promise<StorageClients> {
  if (connectionName.trim() === "") throw new Error("The storage connection name is empty.");
  for (const candidate of connectionCandidates(connectionName)) {
    const connectionString = readAppSetting(env, candidate);
    if (connectionString !== undefined) {
      try {
        return storageClientsFromConnectionString(connectionString);
      } catch (error) {
        throw new Error(`App setting ${candidate}: ${(error as Error).message}`, { cause: error });
      }
    }
    if (hasIdentitySettings(env, candidate)) {
      const identity = readIdentitySettings(env, candidate);
      const endpoints = identityEndpoints(identity);
      const credential = options.credential ?? (await createCredential(chooseIdentityCredential(identity)));
      return storageClientsFromCredential(endpoints, { kind: "token", credential });
    }
  }
  throw new Error(missingConnectionMessage(connectionName));
}

function connectionCandidates(connectionName: string): string[] {
  const prefixed = `AzureWebJobs${connectionName}`;
  return connectionName.toLowerCase().startsWith("azurewebjobs")
    ? [connectionName]
    : [connectionName, prefixed];
}

function missingConnectionMessage(connectionName: string): string {
  const looked = connectionCandidates(connectionName)
    .map((name) => `${name} (or ${name}__accountName / ${name}__blobServiceUri)`)
    .join(", ");
  return (
    `Storage connection "${connectionName}" is not configured: none of ${looked} is set. ` +
    `Set ${connectionName} to a storage account connection string ` +
    `(UseDevelopmentStorage=true for Azurite on this machine), or configure an identity-based connection ` +
    `with ${connectionName}__accountName, or with ${connectionName}__blobServiceUri, ` +
    `${connectionName}__queueServiceUri and ${connectionName}__tableServiceUri.`
  );
}

// ---- connection strings ----

/** The emulator's fixed development account (documented, not a secret). */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY =
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
const DEV_PORTS = { blob: 10000, queue: 10001, table: 10002 } as const;

type Service = "blob" | "queue" | "table";

/** Spelling used in error messages, keyed by the lower-cased name. */
const KNOWN_KEYS = new Map(
  [
    "DefaultEndpointsProtocol",
    "AccountName",
    "AccountKey",
    "EndpointSuffix",
    "BlobEndpoint",
    "QueueEndpoint",
    "TableEndpoint",
    "FileEndpoint",
    "BlobSecondaryEndpoint",
    "QueueSecondaryEndpoint",
    "TableSecondaryEndpoint",
    "FileSecondaryEndpoint",
    "SharedAccessSignature",
    "UseDevelopmentStorage",
    "DevelopmentStorageProxyUri",
  ].map((key) => [key.toLowerCase(), key]),
);

interface ConnectionPart {
  key: string;
  value: string;
}

/** `key=value;...` with case-insensitive keys; values keep any `=` (keys and SAS tokens have them). */
function parseConnectionString(connectionString: string): Map<string, ConnectionPart> {
  const parts = new Map<string, ConnectionPart>();
  for (const segment of connectionString.split(";")) {
    if (segment.trim() === "") continue;
    const equals = segment.indexOf("=");
    const key = (equals < 0 ? segment : segment.slice(0, equals)).trim();
    if (equals <= 0 || key === "") {
      // The segment may be a secret: name its position, not its text.
      throw new Error(
        `the connection string is malformed: expected "Key=Value" pairs separated by ";" ` +
          `(a storage connection string looks like ` +
          `"DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net").`,
      );
    }
    const lower = key.toLowerCase();
    if (parts.has(lower)) throw new Error(`the connection string sets ${key} twice.`);
    parts.set(lower, { key, value: segment.slice(equals + 1).trim() });
  }
  if (parts.size === 0) throw new Error("the connection string is empty.");
  const unknown = [...parts.values()].filter((part) => !KNOWN_KEYS.has(part.key.toLowerCase()));
  if (unknown.length > 0) {
    throw new Error(
      `the connection string has unknown key(s) ${unknown.map((part) => part.key).join(", ")}; ` +
        `recognised keys are ${[...KNOWN_KEYS.values()].join(", ")}.`,
    );
  }
  return parts;
}

type SharedCredential =
  | { kind: "key"; accountName: string; accountKey: string }
  | { kind: "sas"; sas: string }
  | { kind: "token"; credential: TokenCredential };

interface ServiceEndpoints {
  accountName: string;
  blob: string;
  queue: string;
  table: string;
}

/**
 * Clients for a connection string: `UseDevelopmentStorage=true`, account name and key (with
 * `EndpointSuffix` or explicit endpoints), or a `SharedAccessSignature` with endpoints or an
 * account name. Throws a descriptive Error for anything else; messages never echo secrets.
 */
export function storageClientsFromConnectionString(
  connectionString: string,
  options: StorageClientOptions = {},
): StorageClients {
  const parts = parseConnectionString(connectionString);
  const get = (key: string): string | undefined => {
    const value = parts.get(key.toLowerCase())?.value;
    return value === undefined || value === "" ? undefined : value;
  };

  const useDevelopmentStorage = get("UseDevelopmentStorage");
  if (useDevelopmentStorage !== undefined) {
    if (useDevelopmentStorage.toLowerCase() !== "true") {
      throw new Error(`UseDevelopmentStorage must be "true" when present, got "${useDevelopmentStorage}".`);
    }
    const extra = [...parts.values()]
      .map((part) => part.key)
      .filter((key) => !["usedevelopmentstorage", "developmentstorageproxyuri"].includes(key.toLowerCase()));
    if (extra.length > 0) {
      throw new Error(
        `UseDevelopmentStorage=true can only be combined with DevelopmentStorageProxyUri, not ${extra.join(", ")}.`,
      );
    }
    return storageClientsFromCredential(
      developmentEndpoints(get("DevelopmentStorageProxyUri")),
      { kind: "key", accountName: DEV_ACCOUNT_NAME, accountKey: DEV_ACCOUNT_KEY },
      options,
    );
  }

  const accountName = get("AccountName");
  const accountKey = get("AccountKey");
  const sas = get("SharedAccessSignature");
  if (accountKey !== undefined && sas !== undefined) {
    throw new Error("the connection string has both AccountKey and SharedAccessSignature; keep one.");
  }
  if (accountKey === undefined && sas === undefined) {
    throw new Error(
      "the connection string has no credentials: add AccountKey (with AccountName) or SharedAccessSignature, " +
        "or use UseDevelopmentStorage=true for Azurite.",
    );
  }
  if (accountKey !== undefined && accountName === undefined) {
    throw new Error("the connection string has AccountKey but no AccountName.");
  }
  if (accountKey !== undefined && !/^[A-Za-z0-9+/]+={0,2}$/.test(accountKey)) {
    throw new Error(
      "AccountKey is not a base64 string; copy the key again from the storage account's Access keys.",
    );
  }

  const protocol = (get("DefaultEndpointsProtocol") ?? "https").toLowerCase();
  if (protocol !== "https" && protocol !== "http") {
    throw new Error(`DefaultEndpointsProtocol must be "https" or "http", got "${protocol}".`);
  }
  const suffix = get("EndpointSuffix") ?? "core.windows.net";
  const missing: string[] = [];
  const endpoint = (service: Service): string => {
    const key = `${capitalize(service)}Endpoint`;
    const explicit = get(key);
    if (explicit !== undefined) return checkedServiceUrl(explicit, key);
    if (accountName !== undefined) {
      return derivedServiceUrl(protocol, accountName, service, suffix, {
        account: "AccountName",
        suffix: "EndpointSuffix",
      });
    }
    missing.push(key);
    return "";
  };
  const urls = { blob: endpoint("blob"), queue: endpoint("queue"), table: endpoint("table") };
  if (missing.length > 0) {
    throw new Error(
      `the connection string has no ${missing.join(", ")} and no AccountName to derive ` +
        `${missing.length === 1 ? "it" : "them"} from; the task hub needs the blob, queue and table services.`,
    );
  }
  const endpoints = { accountName: accountName ?? accountNameFromServiceUrl(urls.blob), ...urls };
  if (accountKey !== undefined && accountName !== undefined) {
    return storageClientsFromCredential(endpoints, { kind: "key", accountName, accountKey }, options);
  }
  return storageClientsFromCredential(
    endpoints,
    { kind: "sas", sas: (sas ?? "").replace(/^\?/, "") },
    options,
  );
}

function developmentEndpoints(proxyUri: string | undefined): ServiceEndpoints {
  const base = new URL(
    proxyUri === undefined ? "http://127.0.0.1" : checkedServiceUrl(proxyUri, "DevelopmentStorageProxyUri"),
  );
  const at = (service: Service): string => {
    const url = new URL(base.href);
    url.port = String(DEV_PORTS[service]);
    url.pathname = `/${DEV_ACCOUNT_NAME}`;
    url.search = "";
    return trimTrailingSlash(url.href);
  };
  return { accountName: DEV_ACCOUNT_NAME, blob: at("blob"), queue: at("queue"), table: at("table") };
}

function checkedServiceUrl(value: string, settingName: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${settingName} must be an absolute http(s) URL, got "${value}".`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new Error(`${settingName} must be an absolute http(s) URL, got "${value}".`);
  }
  if (url.search !== "") {
    throw new Error(
      `${settingName} must not carry a query string; put a SAS token in SharedAccessSignature.`,
    );
  }
  return trimTrailingSlash(url.href);
}

/** Azure's `{account}.{service}.{suffix}` host; both parts must be usable in a host name. */
function derivedServiceUrl(
  protocol: string,
  accountName: string,
  service: Service,
  suffix: string,
  settingNames: { account: string; suffix: string },
): string {
  if (!/^[A-Za-z0-9-]+$/.test(accountName)) {
    throw new Error(
      `${settingNames.account} must be a storage account name (letters and digits), got "${accountName}".`,
    );
  }
  if (!/^[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*$/.test(suffix)) {
    throw new Error(`${settingNames.suffix} must be a DNS suffix such as core.windows.net, got "${suffix}".`);
  }
  return `${protocol}://${accountName}.${service}.${suffix}`;
}

function trimTrailingSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/**
 * Azurite and other emulators put the account in the path (`http://127.0.0.1:10000/acct`);
 * Azure puts it in the host (`https://acct.blob.core.windows.net`).
 */
function accountNameFromServiceUrl(serviceUrl: string): string {
  const url = new URL(serviceUrl);
  const host = url.hostname;
  const pathStyle =
    host === "localhost" || !host.includes(".") || /^[\d.]+$/.test(host) || host.startsWith("[");
  if (pathStyle) {
    const first = url.pathname.split("/").find((segment) => segment !== "");
    if (first !== undefined) return decodeURIComponent(first);
  }
  return host.split(".")[0];
}

function storageClientsFromCredential(
  endpoints: ServiceEndpoints,
  credential: SharedCredential,
  options: StorageClientOptions = {},
): StorageClients {
  const timeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const tableOptions: TableServiceClientOptions = {
    // The table SDK refuses plain http unless told; Azurite and emulators are plain http.
    allowInsecureConnection: endpoints.table.startsWith("http:"),
    additionalPolicies: [
      { policy: tableBodyPolicy(), position: "perCall" },
      { policy: tableRequestTimeoutPolicy(timeoutMs), position: "perRetry" },
    ],
  };
  let blobService: BlobServiceClient;
  let queueService: QueueServiceClient;
  let table: (name: string) => TableClient;
  let tableService: TableServiceClient;
  switch (credential.kind) {
    case "key": {
      const { accountName, accountKey } = credential;
      blobService = new BlobServiceClient(
        endpoints.blob,
        blobPipeline(new BlobSharedKeyCredential(accountName, accountKey), timeoutMs),
      );
      queueService = new QueueServiceClient(
        endpoints.queue,
        queuePipeline(new QueueSharedKeyCredential(accountName, accountKey), timeoutMs),
      );
      const named = new AzureNamedKeyCredential(accountName, accountKey);
      tableService = new TableServiceClient(endpoints.table, named, tableOptions);
      table = (name) => new TableClient(endpoints.table, name, named, tableOptions);
      break;
    }
    case "sas": {
      blobService = new BlobServiceClient(
        `${endpoints.blob}?${credential.sas}`,
        blobPipeline(undefined, timeoutMs),
      );
      queueService = new QueueServiceClient(
        `${endpoints.queue}?${credential.sas}`,
        queuePipeline(undefined, timeoutMs),
      );
      const sas = new AzureSASCredential(credential.sas);
      tableService = new TableServiceClient(endpoints.table, sas, tableOptions);
      table = (name) => new TableClient(endpoints.table, name, sas, tableOptions);
      break;
    }
    case "token": {
      const token = credential.credential;
      blobService = new BlobServiceClient(endpoints.blob, blobPipeline(token, timeoutMs));
      queueService = new QueueServiceClient(endpoints.queue, queuePipeline(token, timeoutMs));
      tableService = new TableServiceClient(endpoints.table, token, tableOptions);
      table = (name) => new TableClient(endpoints.table, name, token, tableOptions);
      break;
    }
  }
  return { accountName: endpoints.accountName, blobService, queueService, tableService, table };
}

// ---- identity-based connections ----

/** The `<name>__*` settings Functions reads for an identity-based storage connection. */
export interface IdentityConnectionSettings {
  prefix: string;
  accountName?: string;
  endpointSuffix?: string;
  blobServiceUri?: string;
  /** The blob extension's older name for `blobServiceUri`. */
  serviceUri?: string;
  queueServiceUri?: string;
  tableServiceUri?: string;
  credential?: string;
  clientId?: string;
  managedIdentityResourceId?: string;
  tenantId?: string;
  clientSecret?: string;
}

const IDENTITY_SETTING_NAMES = [
  "accountName",
  "endpointSuffix",
  "blobServiceUri",
  "serviceUri",
  "queueServiceUri",
  "tableServiceUri",
  "credential",
  "clientId",
  "managedIdentityResourceId",
  "tenantId",
  "clientSecret",
] as const;

function hasIdentitySettings(env: AppSettings, prefix: string): boolean {
  const wanted = normalizeSettingName(`${prefix}__`);
  return Object.entries(env).some(
    ([key, value]) =>
      value !== undefined && value.trim() !== "" && normalizeSettingName(key).startsWith(wanted),
  );
}

export function readIdentitySettings(env: AppSettings, prefix: string): IdentityConnectionSettings {
  const settings: IdentityConnectionSettings = { prefix };
  for (const name of IDENTITY_SETTING_NAMES) {
    const value = readAppSetting(env, `${prefix}__${name}`);
    if (value !== undefined) settings[name] = value.trim();
  }
  return settings;
}

/** An explicit `<service>ServiceUri` wins over one derived from `accountName`, as in Functions. */
function identityEndpoints(settings: IdentityConnectionSettings): ServiceEndpoints {
  const { prefix } = settings;
  const suffix = settings.endpointSuffix ?? "core.windows.net";
  const missing: string[] = [];
  const endpoint = (service: Service, explicit: { name: string; value: string | undefined }[]): string => {
    for (const { name, value } of explicit) {
      if (value !== undefined) return checkedServiceUrl(value, `${prefix}__${name}`);
    }
    if (settings.accountName !== undefined) {
      return derivedServiceUrl("https", settings.accountName, service, suffix, {
        account: `${prefix}__accountName`,
        suffix: `${prefix}__endpointSuffix`,
      });
    }
    missing.push(`${prefix}__${service}ServiceUri`);
    return "";
  };
  const blob = endpoint("blob", [
    { name: "blobServiceUri", value: settings.blobServiceUri },
    { name: "serviceUri", value: settings.serviceUri },
  ]);
  const queue = endpoint("queue", [{ name: "queueServiceUri", value: settings.queueServiceUri }]);
  const table = endpoint("table", [{ name: "tableServiceUri", value: settings.tableServiceUri }]);
  if (missing.length > 0) {
    throw new Error(
      `Identity-based storage connection "${prefix}" is incomplete: set ${missing.join(", ")}, ` +
        `or ${prefix}__accountName to derive every service URI; the task hub needs blobs, queues and tables.`,
    );
  }
  return { accountName: settings.accountName ?? accountNameFromServiceUrl(blob), blob, queue, table };
}

/** Which @azure/identity credential the settings ask for, decided without loading the package. */
export type IdentityCredentialChoice =
  | { kind: "managedIdentity"; clientId?: string; resourceId?: string }
  | { kind: "clientSecret"; tenantId: string; clientId: string; clientSecret: string }
  | { kind: "default"; managedIdentityClientId?: string; tenantId?: string };

/**
 * As Functions: `credential=managedidentity` selects the app's managed identity (user-assigned
 * by `clientId` or `managedIdentityResourceId`); otherwise, for local development, a client
 * secret when `tenantId`, `clientId` and `clientSecret` are all set, else the developer's
 * sign-in through DefaultAzureCredential.
 */
export function chooseIdentityCredential(settings: IdentityConnectionSettings): IdentityCredentialChoice {
  const { prefix, credential, clientId, managedIdentityResourceId, tenantId, clientSecret } = settings;
  if (credential !== undefined) {
    if (credential.toLowerCase() !== "managedidentity") {
      throw new Error(
        `${prefix}__credential must be "managedidentity" (or be left unset for developer credentials), got "${credential}".`,
      );
    }
    if (clientId !== undefined && managedIdentityResourceId !== undefined) {
      throw new Error(
        `Set only one of ${prefix}__clientId and ${prefix}__managedIdentityResourceId to pick a user-assigned identity.`,
      );
    }
    if (managedIdentityResourceId !== undefined) {
      return { kind: "managedIdentity", resourceId: managedIdentityResourceId };
    }
    return clientId === undefined ? { kind: "managedIdentity" } : { kind: "managedIdentity", clientId };
  }
  if (tenantId !== undefined && clientId !== undefined && clientSecret !== undefined) {
    return { kind: "clientSecret", tenantId, clientId, clientSecret };
  }
  const choice: IdentityCredentialChoice = { kind: "default" };
  if (clientId !== undefined) choice.managedIdentityClientId = clientId;
  if (tenantId !== undefined) choice.tenantId = tenantId;
  return choice;
}

async function createCredential(choice: IdentityCredentialChoice): Promise<TokenCredential> {
  // Loaded on demand: apps on connection strings never pay for @azure/identity and MSAL.
  const identity = await import("@azure/identity");
  switch (choice.kind) {
    case "managedIdentity":
      if (choice.resourceId !== undefined) {
        return new identity.ManagedIdentityCredential({ resourceId: choice.resourceId });
      }
      return new identity.ManagedIdentityCredential({ clientId: choice.clientId });
    case "clientSecret":
      return new identity.ClientSecretCredential(choice.tenantId, choice.clientId, choice.clientSecret);
    case "default":
      return new identity.DefaultAzureCredential({
        managedIdentityClientId: choice.managedIdentityClientId,
        tenantId: choice.tenantId,
      });
  }
}
