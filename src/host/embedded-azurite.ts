/**
 * Development storage for `durable start`. With `UseDevelopmentStorage=true` an app needs the
 * storage emulator on 127.0.0.1:10000-10002, which `func start` users start by hand. An Azurite
 * already running there is used as it is; otherwise Azurite runs inside this process, keeping
 * its data in `<app>/.azurite/` so task hubs and their instances survive a restart.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { request, type Server } from "node:http";
import { createRequire } from "node:module";
import { join } from "node:path";
import { readAzureStorageSettings } from "../providers/azure-storage";
import { isDevelopmentStorage, readAppSetting } from "../providers/azure-storage/connection";

export interface StoragePorts {
  blob: number;
  queue: number;
  table: number;
}

/** Where `UseDevelopmentStorage=true` connects. */
export const DEVELOPMENT_STORAGE_PORTS: Readonly<StoragePorts> = { blob: 10000, queue: 10001, table: 10002 };

/** The folder, inside the app, that holds the data of an Azurite started here. */
export const AZURITE_FOLDER = ".azurite";

export interface EnsureDevelopmentStorageOptions {
  appDir: string;
  log(message: string): void;
  /** Default: the development storage ports. Tests pass free ones. */
  ports?: StoragePorts;
}

export interface DevelopmentStorage {
  /** True when this process runs (part of) Azurite; false when it found one running. */
  started: boolean;
  /** Closes the services started here; the data stays on disk. Safe to call twice. */
  stop(): Promise<void>;
}

/**
 * Whether the storage connection host.json names resolves to `UseDevelopmentStorage=true`
 * in `env`, so that `durable start` should make sure the emulator is there. Throws, as
 * `readAzureStorageSettings` does, for invalid `extensions.durableTask` settings.
 */
export function usesDevelopmentStorage(hostJson: unknown, env: Record<string, string | undefined>): boolean {
  const { connectionName } = readAzureStorageSettings(hostJson, env);
  // Functions also tries the name with an AzureWebJobs prefix (see connection.ts).
  const candidates = connectionName.toLowerCase().startsWith("azurewebjobs")
    ? [connectionName]
    : [connectionName, `AzureWebJobs${connectionName}`];
  const value = candidates.map((name) => readAppSetting(env, name)).find((found) => found !== undefined);
  // A proxy URI sends the emulator's traffic to another machine, which is not ours to start.
  return (
    value !== undefined &&
    isDevelopmentStorage(value) &&
    !/(^|;)\s*DevelopmentStorageProxyUri\s*=/i.test(value)
  );
}

/** Finds Azurite on the development storage ports, or starts it in this process. */
export async function ensureDevelopmentStorage(
  options: EnsureDevelopmentStorageOptions,
): Promise<DevelopmentStorage> {
  const ports = options.ports ?? DEVELOPMENT_STORAGE_PORTS;
  const states = await Promise.all(SERVICES.map((service) => probePort(ports[service], service)));
  const taken = SERVICES.flatMap((service, index) => {
    const state = states[index];
    return state.kind === "other" ? [{ service, what: state.what }] : [];
  });
  if (taken.length > 0) throw new Error(portsTakenMessage(taken, ports));

  const running = SERVICES.filter((_, index) => states[index].kind === "emulator");
  const missing = SERVICES.filter((_, index) => states[index].kind === "free");
  if (missing.length === 0) {
    options.log(`Using the Azurite already running on 127.0.0.1 (${describe(running, ports)}).`);
    return { started: false, stop: async () => {} };
  }

  const location = join(options.appDir, AZURITE_FOLDER);
  prepareLocation(location);
  const servers = await startServices(missing, ports, location);
  const started = `Azurite ${describe(missing, ports)} in this process, with its data in ${location}.`;
  options.log(
    running.length > 0
      ? `Using the Azurite already running for ${describe(running, ports)}; started ${started}`
      : `Started ${started}`,
  );
  let stopping: Promise<void> | undefined;
  return {
    started: true,
    stop: () => (stopping ??= Promise.all(servers.map(closeServer)).then(() => undefined)),
  };
}

// ---- which program answers on a port ----

type Service = keyof StoragePorts;

const SERVICES: readonly Service[] = ["blob", "queue", "table"];
const SERVICE_NAMES: Record<Service, string> = { blob: "Blob", queue: "Queue", table: "Table" };
const LOOPBACK = "127.0.0.1";
// Long enough for an Azurite busy with a heavy load to answer; only a silent port pays it.
const PROBE_TIMEOUT_MS = 10_000;

type PortState = { kind: "free" } | { kind: "emulator" } | { kind: "other"; what: string };

/**
 * Asks the port for the development account's service properties. An Azure Storage emulator
 * answers, even without credentials, with a `Server` header naming itself and the service:
 * `Azurite-Blob/3.35.0`, or `Windows-Azure-Blob/1.0` from the older Storage Emulator.
 */
function probePort(port: number, service: Service): Promise<PortState> {
  return new Promise((resolve) => {
    const probe = request(
      {
        host: LOOPBACK,
        port,
        path: "/devstoreaccount1?restype=service&comp=properties",
        agent: false,
        timeout: PROBE_TIMEOUT_MS,
      },
      (response) => {
        response.destroy();
        const server = response.headers.server;
        resolve(classifyServer(Array.isArray(server) ? server[0] : server, service));
      },
    );
    probe.once("timeout", () => {
      resolve({ kind: "other", what: "it accepts connections but does not answer HTTP" });
      probe.destroy();
    });
    probe.once("error", (error: NodeJS.ErrnoException) => {
      resolve(
        error.code === "ECONNREFUSED"
          ? { kind: "free" }
          : { kind: "other", what: `it does not answer HTTP (${error.code ?? error.message})` },
      );
    });
    probe.end();
  });
}

function classifyServer(server: string | undefined, service: Service): PortState {
  const emulator = /^(?:Azurite|Windows-Azure)-(\w+)/i.exec(server ?? "");
  if (emulator?.[1].toLowerCase() === service) return { kind: "emulator" };
  if (emulator)
    return {
      kind: "other",
      what: `it is the emulator's ${emulator[1]} service, not ${SERVICE_NAMES[service]}`,
    };
  return {
    kind: "other",
    what: server ? `it answers HTTP as "${server}"` : "it answers HTTP without a Server header",
  };
}

function portsTakenMessage(taken: Array<{ service: Service; what: string }>, ports: StoragePorts): string {
  const which = taken.map(({ service, what }) => `${ports[service]} (${SERVICE_NAMES[service]}: ${what})`);
  const subject =
    taken.length === 1
      ? `port ${which[0]} is taken by a program that is not Azurite`
      : `ports ${which.join(", ")} are taken by programs that are not Azurite`;
  return (
    `UseDevelopmentStorage=true needs Azurite on 127.0.0.1, but ${subject}. Stop ` +
    `${taken.length === 1 ? "that program" : "them"}, point the storage connection at an Azure storage account, ` +
    `or run 'durable start --in-memory-storage'.`
  );
}

function describe(services: readonly Service[], ports: StoragePorts): string {
  return services.map((service) => `${SERVICE_NAMES[service]} ${ports[service]}`).join(", ");
}

// ---- Azurite inside this process ----

/**
 * The part of Azurite's server classes used here. Azurite ships no type declarations; these
 * follow its `ServerBase` (dist/src/common/ServerBase.js) of the pinned version.
 */
interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  getStatus(): string;
  /** The HTTP server; `close()` asks it to stop but does not wait until it has. */
  readonly httpServer: Server;
  /**
   * Closes the stores `start()` opens before it listens; `ServerBase` calls it only from
   * `close()`, which refuses a server that never got to listen.
   */
  afterClose(): Promise<void>;
}

interface PersistenceLocation {
  locationId: string;
  locationPath: string;
  maxConcurrency: number;
}

/** Blob and queue configurations take the same leading arguments. */
type ExtentConfigurationClass = new (
  host: string,
  port: number,
  keepAliveTimeoutSeconds: number,
  metadataDbPath: string,
  extentDbPath: string,
  persistence: PersistenceLocation[],
  enableAccessLog: boolean,
  accessLogStream: undefined,
  enableDebugLog: boolean,
  debugLogPath: undefined,
  loose: boolean,
  skipApiVersionCheck: boolean,
) => object;

/** Unlike the others, the table configuration takes the debug flag before the access-log flag. */
type TableConfigurationClass = new (
  host: string,
  port: number,
  keepAliveTimeoutSeconds: number,
  metadataDbPath: string,
  enableDebugLog: boolean,
  enableAccessLog: boolean,
  accessLogStream: undefined,
  debugLogPath: undefined,
  loose: boolean,
  skipApiVersionCheck: boolean,
) => object;

type ServerClass = new (configuration: object) => AzuriteServer;

interface AzuriteModules {
  BlobServer: ServerClass;
  BlobConfiguration: ExtentConfigurationClass;
  QueueServer: ServerClass;
  QueueConfiguration: ExtentConfigurationClass;
  TableServer: ServerClass;
  TableConfiguration: TableConfigurationClass;
  telemetry: { init(location: string, enableTelemetry: boolean, environment: undefined): void };
}

/** What the `azurite` command uses by default (5 s), so clients see the same server. */
const KEEP_ALIVE_SECONDS = 5;
/** How long `stop()` lets open requests finish before it drops their connections. */
const CLOSE_GRACE_MS = 5000;

/**
 * Loads Azurite's servers only when they are needed: it is large, and most runs of the host
 * use an Azure storage account or the in-memory task hub.
 */
function loadAzurite(): AzuriteModules {
  // Azurite loads Application Insights, whose diagnostic channel otherwise patches `require`
  // and `console` for the whole process, the app's functions included. It reads this switch
  // once, when it is first loaded.
  const SWITCH = "APPLICATION_INSIGHTS_NO_DIAGNOSTIC_CHANNEL";
  const previous = process.env[SWITCH];
  process.env[SWITCH] = "true";
  try {
    const load = createRequire(__filename);
    const defaultExport = <T>(path: string): T =>
      (load(`azurite/dist/src/${path}`) as { default: T }).default;
    return {
      BlobServer: defaultExport("blob/BlobServer"),
      BlobConfiguration: defaultExport("blob/BlobConfiguration"),
      QueueServer: defaultExport("queue/QueueServer"),
      QueueConfiguration: defaultExport("queue/QueueConfiguration"),
      TableServer: defaultExport("table/TableServer"),
      TableConfiguration: defaultExport("table/TableConfiguration"),
      telemetry: (
        load("azurite/dist/src/common/Telemetry") as { AzuriteTelemetryClient: AzuriteModules["telemetry"] }
      ).AzuriteTelemetryClient,
    };
  } finally {
    if (previous === undefined) delete process.env[SWITCH];
    else process.env[SWITCH] = previous;
  }
}

/** Creates the folder, with a .gitignore so the emulator's data is never committed by accident. */
function prepareLocation(location: string): void {
  mkdirSync(location, { recursive: true });
  const gitignore = join(location, ".gitignore");
  if (!existsSync(gitignore))
    writeFileSync(gitignore, "# Data of the Azurite that 'durable start' runs.\n*\n");
}

async function startServices(
  services: Service[],
  ports: StoragePorts,
  location: string,
): Promise<AzuriteServer[]> {
  const azurite = loadAzurite();
  // Servers started this way never send telemetry; the switch makes that explicit.
  azurite.telemetry.init(location, false, undefined);
  const started: AzuriteServer[] = [];
  try {
    for (const service of services) {
      const server = createServer(azurite, service, ports[service], location);
      try {
        await server.start();
      } catch (error) {
        await server.afterClose().catch(() => undefined);
        throw startFailure(error, service, ports[service]);
      }
      started.push(server);
    }
  } catch (error) {
    await Promise.all(started.map(closeServer));
    throw error;
  }
  return started;
}

/**
 * The servers of the `azurite` command, with its file names under `location` (so
 * `azurite --location .azurite` opens the same data): loopback only, no access or debug log,
 * loose mode and no API version check, so newer SDKs than this Azurite knows are served.
 */
function createServer(
  azurite: AzuriteModules,
  service: Service,
  port: number,
  location: string,
): AzuriteServer {
  const at = (name: string): string => join(location, name);
  const extentConfiguration = (
    Configuration: ExtentConfigurationClass,
    name: string,
    maxConcurrency: number,
  ) =>
    new Configuration(
      LOOPBACK,
      port,
      KEEP_ALIVE_SECONDS,
      at(`__azurite_db_${name}__.json`),
      at(`__azurite_db_${name}_extent__.json`),
      [{ locationId: "Default", locationPath: at(`__${name}storage__`), maxConcurrency }],
      false,
      undefined,
      false,
      undefined,
      true,
      true,
    );
  switch (service) {
    case "blob":
      // The write concurrencies are the azurite command's: 50 for blobs, 1 for queues.
      return new azurite.BlobServer(extentConfiguration(azurite.BlobConfiguration, "blob", 50));
    case "queue":
      return new azurite.QueueServer(extentConfiguration(azurite.QueueConfiguration, "queue", 1));
    case "table":
      return new azurite.TableServer(
        new azurite.TableConfiguration(
          LOOPBACK,
          port,
          KEEP_ALIVE_SECONDS,
          at("__azurite_db_table__.json"),
          false,
          false,
          undefined,
          undefined,
          true,
          true,
        ),
      );
  }
}

function startFailure(error: unknown, service: Service, port: number): Error {
  const code = (error as NodeJS.ErrnoException).code;
  const reason =
    code === "EADDRINUSE"
      ? `port ${port} was taken while it started; stop the program using it and start again`
      : (error as Error).message;
  return new Error(`Azurite ${SERVICE_NAMES[service]} could not start: ${reason}.`, { cause: error });
}

async function closeServer(server: AzuriteServer): Promise<void> {
  if (server.getStatus() !== "Running") return;
  const { httpServer } = server;
  const closed = new Promise<void>((resolve) => httpServer.once("close", () => resolve()));
  // A client that keeps a request open would hold the server, and the process, forever.
  const drop = setTimeout(() => httpServer.closeAllConnections(), CLOSE_GRACE_MS);
  drop.unref();
  try {
    await server.close();
    await closed;
  } finally {
    clearTimeout(drop);
  }
}
