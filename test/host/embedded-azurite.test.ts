import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer as createHttpServer, type Server } from "node:http";
import Module from "node:module";
import { createServer as createTcpServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  ensureDevelopmentStorage,
  usesDevelopmentStorage,
  type StoragePorts,
} from "../../src/host/embedded-azurite";
import { storageClientsFromConnectionString } from "../../src/providers/azure-storage";
import { devConnectionString } from "../support/azurite-process";
import { freePorts, isListening } from "../support/free-port";
import { testStorageConnectionString } from "../support/test-storage";

// Taken before anything loads Azurite, to show that loading it patches nothing process-wide.
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

function listen(server: Server | ReturnType<typeof createTcpServer>, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
}

function close(server: Server | ReturnType<typeof createTcpServer>): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

describe("ensureDevelopmentStorage", () => {
  let appDir: string;
  let logged: string[];
  const log = (message: string): void => void logged.push(message);

  beforeEach(() => {
    appDir = mkdtempSync(join(tmpdir(), "durable-azurite-"));
    logged = [];
  });
  afterEach(() => rmSync(appDir, { recursive: true, force: true }));

  it("starts Azurite in this process when the ports are free, and keeps its data across a restart", async () => {
    const ports = await freeStoragePorts();
    const clients = storageClientsFromConnectionString(devConnectionString(ports));

    const first = await ensureDevelopmentStorage({ appDir, log, ports });
    expect(first.started).toBe(true);
    expect(logged).toEqual([
      `Started Azurite Blob ${ports.blob}, Queue ${ports.queue}, Table ${ports.table} in this process, ` +
        `with its data in ${join(appDir, ".azurite")}.`,
    ]);
    await clients.table("Things").createTable();
    await clients.table("Things").createEntity({ partitionKey: "p", rowKey: "r", value: "kept" });
    const queue = clients.queueService.getQueueClient("things");
    await queue.create();
    await queue.sendMessage("kept");
    const container = clients.blobService.getContainerClient("things");
    await container.create();
    await container.getBlockBlobClient("a.txt").upload("kept", 4);
    await first.stop();
    await first.stop();
    expect(await Promise.all(Object.values(ports).map(isListening))).toEqual([false, false, false]);

    const second = await ensureDevelopmentStorage({ appDir, log, ports });
    try {
      expect(second.started).toBe(true);
      expect((await clients.table("Things").getEntity<{ value: string }>("p", "r")).value).toBe("kept");
      expect((await queue.peekMessages()).peekedMessageItems.map((message) => message.messageText)).toEqual([
        "kept",
      ]);
      expect((await container.getBlockBlobClient("a.txt").downloadToBuffer()).toString()).toBe("kept");
    } finally {
      await second.stop();
    }
    expect(existsSync(join(appDir, ".azurite", ".gitignore"))).toBe(true);
  });

  it("leaves require and console alone, which Azurite's telemetry library would patch", () => {
    expect(Module.prototype.require).toBe(originalRequire);
    expect(console.log).toBe(originalConsoleLog);
  });

  it("uses an Azurite that is already running", async () => {
    const ports = testAzuritePorts();
    const storage = await ensureDevelopmentStorage({ appDir, log, ports });
    expect(storage.started).toBe(false);
    expect(logged).toEqual([
      `Using the Azurite already running on 127.0.0.1 (Blob ${ports.blob}, Queue ${ports.queue}, Table ${ports.table}).`,
    ]);
    await storage.stop();
    expect(existsSync(join(appDir, ".azurite"))).toBe(false);
    const clients = storageClientsFromConnectionString(testStorageConnectionString());
    await expect(clients.blobService.getProperties()).resolves.toBeDefined();
  });

  it("starts only the services that are not running yet", async () => {
    const ports = { ...(await freeStoragePorts()), blob: testAzuritePorts().blob };
    const storage = await ensureDevelopmentStorage({ appDir, log, ports });
    try {
      expect(storage.started).toBe(true);
      expect(logged[0]).toMatch(
        `Using the Azurite already running for Blob ${ports.blob}; started Azurite Queue ${ports.queue}, ` +
          `Table ${ports.table} in this process`,
      );
    } finally {
      await storage.stop();
    }
    expect(await isListening(ports.queue)).toBe(false);
    expect(await isListening(ports.blob)).toBe(true);
  });

  it("refuses a port taken by an HTTP server that is not Azurite, and starts nothing", async () => {
    const ports = await freeStoragePorts();
    const impostor = createHttpServer((_, response) =>
      response.writeHead(404, { Server: "nginx/1.25" }).end(),
    );
    await listen(impostor, ports.blob);
    try {
      await expect(ensureDevelopmentStorage({ appDir, log, ports })).rejects.toThrow(
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
      const error = await ensureDevelopmentStorage({ appDir, log, ports }).catch((thrown: Error) => thrown);
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
    await expect(ensureDevelopmentStorage({ appDir, log, ports })).rejects.toThrow(
      `port ${running.queue} (Blob: it is the emulator's Queue service, not Blob)`,
    );
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
