import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import Module from "node:module";
import { createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ensureLocalStorage,
  inspectLocalStorage,
  localStorageConnectionString,
  localStoragePlace,
  stopLocalStorage,
  usesDevelopmentStorage,
  type LocalStoragePlace,
  type StoragePorts,
} from "../../src/host/local-storage";
import { isProcessAlive } from "../../src/host/local-storage/storage-process-state";
import { storageClientsFromConnectionString } from "../../src/providers/azure-storage";
import { devConnectionString } from "../support/azurite-process";
import { freePorts, isListening } from "../support/free-port";
import { testStorageConnectionString } from "../support/test-storage";

// Taken before anything could load Azurite, to show that nothing loads it into this process.
const originalRequire = Module.prototype.require;
const originalConsoleLog = console.log;

async function freeStoragePorts(): Promise<StoragePorts> {
  const [blob, queue, table] = await freePorts(3);
  return { blob, queue, table };
}

/** The ports of the Azurite that jest's global setup runs, from its connection string. */
function testAzuritePorts(): StoragePorts {
  const port = (service: string): number => {
    const match = new RegExp(`${service}Endpoint=http://127\\.0\\.0\\.1:(\\d+)/`).exec(
      testStorageConnectionString(),
    );
    if (!match) throw new Error(`No ${service} endpoint in the test connection string.`);
    return Number(match[1]);
  };
  return { blob: port("Blob"), queue: port("Queue"), table: port("Table") };
}

function placeFor(folder: string, ports: StoragePorts): LocalStoragePlace {
  return localStoragePlace({
    DURABLE_STORAGE_DIR: folder,
    DURABLE_STORAGE_PORTS: `${ports.blob},${ports.queue},${ports.table}`,
  });
}

function listen(server: Server | ReturnType<typeof createTcpServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

function close(server: Server | ReturnType<typeof createTcpServer>): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe("the local storage", () => {
  let folder: string;
  let logged: string[];
  const log = (message: string): void => void logged.push(message);
  const places: LocalStoragePlace[] = [];

  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), "durable-storage-"));
    logged = [];
  });
  afterEach(async () => {
    // Whatever a test started, it must not outlive the test.
    for (const place of places.splice(0)) await stopLocalStorage(place);
    rmSync(folder, { recursive: true, force: true });
  });

  it("runs in a process of its own, found again by the next caller, and keeps its data when stopped", async () => {
    const ports = await freeStoragePorts();
    const place = placeFor(folder, ports);
    places.push(place);
    const clients = storageClientsFromConnectionString(devConnectionString(ports));

    const first = await ensureLocalStorage(place, log);
    expect(first.started).toBe(true);
    const pid = first.state?.pid;
    expect(pid).not.toBe(process.pid);
    expect(logged[0]).toMatch(
      new RegExp(
        `^Started the local storage: Azurite \\d+\\.\\d+\\.\\d+, pid ${pid}, since .+, on 127\\.0\\.0\\.1 ` +
          `\\(Blob ${ports.blob}, Queue ${ports.queue}, Table ${ports.table}\\), data in ` +
          `${escape(join(folder, "azurite"))}\\. It keeps running when the host stops; ` +
          `'durable storage stop' stops it\\.$`,
      ),
    );
    await clients.table("Things").createTable();
    await clients.table("Things").createEntity({ partitionKey: "p", rowKey: "r", value: "kept" });
    const queue = clients.queueService.getQueueClient("things");
    await queue.create();
    await queue.sendMessage("kept");
    const container = clients.blobService.getContainerClient("things");
    await container.create();
    await container.getBlockBlobClient("a.txt").upload("kept", 4);

    const again = await ensureLocalStorage(place, log);
    expect(again).toEqual({ started: false, state: first.state });
    expect(logged[1]).toMatch(`Using the local storage already running: Azurite`);
    expect(logged[1]).toContain(`pid ${pid},`);

    expect(await stopLocalStorage(place)).toEqual({ kind: "stopped", state: first.state, forced: false });
    expect(isProcessAlive(pid as number)).toBe(false);
    expect(await Promise.all(Object.values(ports).map(isListening))).toEqual([false, false, false]);
    expect(await inspectLocalStorage(place)).toEqual({ kind: "stopped" });
    expect(await stopLocalStorage(place)).toEqual({ kind: "not-running" });

    const restarted = await ensureLocalStorage(place, log);
    expect(restarted.started).toBe(true);
    expect((await clients.table("Things").getEntity<{ value: string }>("p", "r")).value).toBe("kept");
    expect((await queue.peekMessages()).peekedMessageItems.map((message) => message.messageText)).toEqual([
      "kept",
    ]);
    expect((await container.getBlockBlobClient("a.txt").downloadToBuffer()).toString()).toBe("kept");
  }, 60_000);

  it("is started once when two hosts ask for it at the same moment", async () => {
    const place = placeFor(folder, await freeStoragePorts());
    places.push(place);
    const [one, two] = await Promise.all([ensureLocalStorage(place, log), ensureLocalStorage(place, log)]);
    expect([one.started, two.started].sort()).toEqual([false, true]);
    expect(one.state?.pid).toBe(two.state?.pid);
  }, 60_000);

  it("leaves require and console alone, which Azurite's telemetry library would patch", () => {
    expect(Module.prototype.require).toBe(originalRequire);
    expect(console.log).toBe(originalConsoleLog);
  });

  it("uses an Azurite that durable did not start, says so, and never stops it", async () => {
    const ports = testAzuritePorts();
    const place = placeFor(folder, ports);
    expect(await ensureLocalStorage(place, log)).toEqual({ started: false, state: undefined });
    expect(logged).toEqual([
      `Using the Azurite already running on 127.0.0.1 (Blob ${ports.blob}, Queue ${ports.queue}, ` +
        `Table ${ports.table}). durable did not start it: its data is wherever it was started, and ` +
        `'durable storage stop' leaves it alone.`,
    ]);
    expect(await stopLocalStorage(place)).toEqual({ kind: "foreign" });
    expect(existsSync(join(folder, "azurite"))).toBe(false);
    const clients = storageClientsFromConnectionString(testStorageConnectionString());
    await expect(clients.blobService.getProperties()).resolves.toBeDefined();
  });

  it("refuses to start beside an Azurite that serves only some of the services", async () => {
    const ports = { ...(await freeStoragePorts()), blob: testAzuritePorts().blob };
    await expect(ensureLocalStorage(placeFor(folder, ports), log)).rejects.toThrow(
      `An Azurite answers on 127.0.0.1 for Blob ${ports.blob} but nothing does for Queue ${ports.queue}, ` +
        `Table ${ports.table}. Stop that Azurite`,
    );
    expect(await isListening(ports.queue)).toBe(false);
  });

  it("refuses a port taken by an HTTP server that is not Azurite, and starts nothing", async () => {
    const ports = await freeStoragePorts();
    const impostor = createHttpServer((_, response) =>
      response.writeHead(404, { Server: "nginx/1.25" }).end(),
    );
    await listen(impostor, ports.blob);
    try {
      await expect(ensureLocalStorage(placeFor(folder, ports), log)).rejects.toThrow(
        `UseDevelopmentStorage=true needs Azurite on 127.0.0.1, but port ${ports.blob} (Blob: it answers HTTP as ` +
          `"nginx/1.25") is taken by a program that is not Azurite. Stop that program, point the storage ` +
          `connection at an Azure storage account, or run 'durable start --in-memory-storage'.`,
      );
    } finally {
      await close(impostor);
    }
    expect(await isListening(ports.queue)).toBe(false);
    expect(logged).toEqual([]);
  });

  it("names every port taken, including by programs that do not speak HTTP", async () => {
    const ports = await freeStoragePorts();
    // It reads what it is sent, or the connection would stay open and its close() would wait.
    const raw = createTcpServer((socket) => socket.resume().end("hello\r\n"));
    const silent = createHttpServer((_, response) => response.end());
    await listen(raw, ports.queue);
    await listen(silent, ports.table);
    try {
      const error = await ensureLocalStorage(placeFor(folder, ports), log).catch((thrown: Error) => thrown);
      expect(error).toBeInstanceOf(Error);
      const message = (error as Error).message;
      expect(message).toContain(`ports ${ports.queue} (Queue: it does not answer HTTP (`);
      expect(message).toContain(`${ports.table} (Table: it answers HTTP without a Server header)`);
      expect(message).toContain("are taken by programs that are not Azurite. Stop them,");
      expect(message).not.toContain("\n");
    } finally {
      await Promise.all([close(raw), close(silent)]);
    }
  });

  it("does not take one emulator service for another", async () => {
    const running = testAzuritePorts();
    const ports = { ...(await freeStoragePorts()), blob: running.queue };
    await expect(ensureLocalStorage(placeFor(folder, ports), log)).rejects.toThrow(
      `port ${running.queue} (Blob: it is the emulator's Queue service, not Blob)`,
    );
  });
});

describe("localStoragePlace", () => {
  it("is one folder in the user's home on the emulator's ports unless the environment moves it", () => {
    const place = localStoragePlace({});
    expect(place.folder).toMatch(/[/\\]\.durable-ts[/\\]storage$/);
    expect(place.dataFolder).toBe(join(place.folder, "azurite"));
    expect(place.ports).toEqual({ blob: 10000, queue: 10001, table: 10002 });
    expect(localStorageConnectionString(place.ports)).toBeUndefined();
    const moved = localStoragePlace({ DURABLE_STORAGE_DIR: "/elsewhere", DURABLE_STORAGE_PORTS: "1,2,3" });
    expect(moved.stateFile).toBe(join("/elsewhere", "storage-process.json"));
    expect(localStorageConnectionString(moved.ports)).toContain(
      "QueueEndpoint=http://127.0.0.1:2/devstoreaccount1;",
    );
  });

  it("says what is wrong with DURABLE_STORAGE_PORTS", () => {
    for (const text of ["10000", "1,2,x", "1,1,2", "0,1,2", "1,2,70000"]) {
      expect(() => localStoragePlace({ DURABLE_STORAGE_PORTS: text })).toThrow(
        `DURABLE_STORAGE_PORTS must be three different port numbers, blob,queue,table (as in ` +
          `10000,10001,10002), not '${text}'.`,
      );
    }
  });
});

describe("usesDevelopmentStorage", () => {
  const hostJson = { version: "2.0" };

  it("follows the storage connection host.json names", () => {
    expect(usesDevelopmentStorage(hostJson, { AzureWebJobsStorage: "UseDevelopmentStorage=true" })).toBe(
      true,
    );
    const custom = {
      version: "2.0",
      extensions: { durableTask: { storageProvider: { connectionName: "Hub" } } },
    };
    expect(usesDevelopmentStorage(custom, { Hub: "UseDevelopmentStorage=true" })).toBe(true);
    expect(usesDevelopmentStorage(custom, { AzureWebJobsHub: "UseDevelopmentStorage=true" })).toBe(true);
    expect(usesDevelopmentStorage(custom, { AzureWebJobsStorage: "UseDevelopmentStorage=true" })).toBe(false);
  });

  it("is false for a storage account, a missing connection and a proxied emulator", () => {
    const account =
      "DefaultEndpointsProtocol=https;AccountName=a;AccountKey=a2V5;EndpointSuffix=core.windows.net";
    expect(usesDevelopmentStorage(hostJson, { AzureWebJobsStorage: account })).toBe(false);
    expect(usesDevelopmentStorage(hostJson, {})).toBe(false);
    expect(
      usesDevelopmentStorage(hostJson, {
        AzureWebJobsStorage: "UseDevelopmentStorage=true;DevelopmentStorageProxyUri=http://emulator",
      }),
    ).toBe(false);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
