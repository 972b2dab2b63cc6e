/**
 * A fault injector at the storage boundary: an HTTP proxy in front of the test run's Azurite,
 * one port per service, that passes requests through unless a rule picks them, and then answers
 * as a failing storage service would (an error status, no answer at all, a dropped connection).
 * The hub under test talks to it through an ordinary connection string.
 */
import {
  createServer,
  request as forward,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { testStorageConnectionString } from "./test-storage";

export type StorageService = "blob" | "queue" | "table";

/** What a storage request looks like to a rule: enough to tell a step of a checkpoint. */
export interface StorageRequest {
  service: StorageService;
  method: string;
  /** Path and query, e.g. `/devstoreaccount1/$batch` or `/devstoreaccount1/hub-control-00/messages`. */
  path: string;
  body: string;
}

export type StorageFault =
  /** The service answers with this status and a storage error body. */
  | { kind: "status"; status: number; code: string }
  /** The service takes the request and never answers. */
  | { kind: "hang" }
  /** The connection is closed without an answer. */
  | { kind: "drop" };

export interface FaultRule {
  name: string;
  matches(request: StorageRequest): boolean;
  fault: StorageFault;
  /** How many matching requests fail; every one when absent. */
  times?: number;
}

export const internalError: StorageFault = { kind: "status", status: 500, code: "InternalError" };
export const badRequest: StorageFault = { kind: "status", status: 400, code: "InvalidInput" };

interface ActiveRule extends FaultRule {
  injected: number;
}

export class StorageFaultProxy {
  private readonly rules = new Set<ActiveRule>();
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly servers: Map<StorageService, Server>,
    private readonly accountName: string,
    private readonly accountKey: string,
  ) {}

  /** Starts one proxy port per service in front of the run's Azurite. */
  static async start(): Promise<StorageFaultProxy> {
    const settings = new Map(
      testStorageConnectionString()
        .split(";")
        .filter((part) => part.includes("="))
        .map((part) => {
          const at = part.indexOf("=");
          return [part.slice(0, at), part.slice(at + 1)] as const;
        }),
    );
    const servers = new Map<StorageService, Server>();
    const proxy = new StorageFaultProxy(
      servers,
      settings.get("AccountName") ?? "",
      settings.get("AccountKey") ?? "",
    );
    const endpoints: Record<StorageService, string | undefined> = {
      blob: settings.get("BlobEndpoint"),
      queue: settings.get("QueueEndpoint"),
      table: settings.get("TableEndpoint"),
    };
    for (const service of ["blob", "queue", "table"] as const) {
      const target = new URL(endpoints[service] ?? "");
      const server = createServer((req, res) => proxy.handle(service, target, req, res));
      server.on("connection", (socket) => {
        proxy.sockets.add(socket);
        socket.on("close", () => proxy.sockets.delete(socket));
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      servers.set(service, server);
    }
    return proxy;
  }

  /** A connection string whose endpoints are this proxy's. */
  get connectionString(): string {
    const endpoint = (service: StorageService) =>
      `http://127.0.0.1:${(this.servers.get(service)?.address() as AddressInfo).port}/${this.accountName}`;
    return (
      `DefaultEndpointsProtocol=http;AccountName=${this.accountName};AccountKey=${this.accountKey};` +
      `BlobEndpoint=${endpoint("blob")};QueueEndpoint=${endpoint("queue")};TableEndpoint=${endpoint("table")};`
    );
  }

  /** Adds a rule; returns a function that removes it. */
  inject(rule: FaultRule): () => void {
    const active: ActiveRule = { ...rule, injected: 0 };
    this.rules.add(active);
    return () => this.rules.delete(active);
  }

  /** How many requests a rule of this name failed so far. */
  injected(name: string): number {
    let count = 0;
    for (const rule of this.rules) if (rule.name === name) count += rule.injected;
    return count;
  }

  clear(): void {
    this.rules.clear();
  }

  async close(): Promise<void> {
    this.rules.clear();
    for (const socket of this.sockets) socket.destroy();
    await Promise.all(
      [...this.servers.values()].map(
        (server) => new Promise<void>((resolve) => server.close(() => resolve())),
      ),
    );
  }

  private handle(service: StorageService, target: URL, req: IncomingMessage, res: ServerResponse): void {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks);
      const request: StorageRequest = {
        service,
        method: req.method ?? "GET",
        path: req.url ?? "/",
        body: body.toString("utf8"),
      };
      const rule = this.ruleFor(request);
      if (rule) return this.fail(service, rule.fault, req, res);
      const upstream = forward(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on("error", () => res.destroy());
      upstream.end(body);
    });
  }

  private ruleFor(request: StorageRequest): ActiveRule | undefined {
    for (const rule of this.rules) {
      if (rule.times !== undefined && rule.injected >= rule.times) continue;
      if (!rule.matches(request)) continue;
      rule.injected++;
      return rule;
    }
    return undefined;
  }

  private fail(
    service: StorageService,
    fault: StorageFault,
    req: IncomingMessage,
    res: ServerResponse,
  ): void {
    switch (fault.kind) {
      case "hang":
        // The socket stays open until the client gives up or the proxy closes.
        return;
      case "drop":
        req.socket.destroy();
        return;
      case "status": {
        const message = `Injected fault ${fault.code}`;
        if (service === "table") {
          res.writeHead(fault.status, {
            "content-type": "application/json;odata=minimalmetadata;charset=utf-8",
            "x-ms-error-code": fault.code,
          });
          res.end(
            JSON.stringify({
              "odata.error": { code: fault.code, message: { lang: "en-US", value: message } },
            }),
          );
        } else {
          res.writeHead(fault.status, { "content-type": "application/xml", "x-ms-error-code": fault.code });
          res.end(
            `<?xml version="1.0" encoding="utf-8"?><Error><Code>${fault.code}</Code><Message>${message}</Message></Error>`,
          );
        }
        return;
      }
    }
  }
}

// ---- request shapes of the checkpoint's steps ----

/** A table batch (the history commit) that writes rows of this instance. */
export function historyCommitOf(instanceId: string): (request: StorageRequest) => boolean {
  return (r) =>
    r.service === "table" && r.path.includes("$batch") && r.body.includes(`"PartitionKey":"${instanceId}"`);
}

/** The write of the instance's final status row (Completed), after its last history commit. */
export function finalStatusRowOf(instanceId: string): (request: StorageRequest) => boolean {
  return (r) =>
    r.service === "table" &&
    !r.path.includes("$batch") &&
    decodeURIComponent(r.path).includes(`Instances(PartitionKey='${instanceId}'`) &&
    r.body.includes('"RuntimeStatus":"Completed"');
}

/** An activity request for the instance sent to the work-item queue. */
export function activityRequestFor(instanceId: string): (request: StorageRequest) => boolean {
  return (r) =>
    r.service === "queue" &&
    r.method === "POST" &&
    r.path.includes("-workitems/messages") &&
    r.body.includes(instanceId);
}

/** A read of the instance's history rows. */
export function historyReadOf(instanceId: string): (request: StorageRequest) => boolean {
  return (r) =>
    r.service === "table" &&
    r.method === "GET" &&
    decodeURIComponent(r.path).includes("History") &&
    decodeURIComponent(r.path).includes(`'${instanceId}'`);
}

/** A message deletion from any queue of the hub. */
export function messageDelete(request: StorageRequest): boolean {
  return request.service === "queue" && request.method === "DELETE" && request.path.includes("popreceipt=");
}
