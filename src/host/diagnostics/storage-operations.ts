import { subscribe, unsubscribe } from "node:diagnostics_channel";
import type { ClientRequest } from "node:http";

/** Storage requests by kind, e.g. "queue.send", "table.transaction", "blob.read". */
export type StorageOperationCounts = Record<string, number>;

/** Per kind, the milliseconds from each request's start to the end of its response, summed. */
export type StorageOperationTimes = Record<string, number>;

export interface StorageEndpoints {
  blob: string;
  queue: string;
  table: string;
}

const REQUEST_START = "http.client.request.start";
const RESPONSE_FINISH = "http.client.response.finish";

/**
 * Counts the requests this process makes to a storage account, by kind, as they leave the
 * storage SDKs: every HTTP request to one of the account's endpoints, classified from its
 * method and path. Seeing requests rather than SDK calls counts retries and every page of a
 * query, which is what the account bills and what takes time.
 */
export class StorageOperationCounter {
  private readonly counts: StorageOperationCounts = {};
  private readonly times: StorageOperationTimes = {};
  private readonly started = new WeakMap<ClientRequest, { kind: string; atMs: number }>();
  private readonly services: { kind: keyof StorageEndpoints; origin: string; path: string }[];
  private readonly onStart = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    // `host` lacks the port; the Host header has both.
    const host = request?.getHeader("host");
    if (!request || typeof host !== "string") return;
    const kind = this.observe(request.method, `${request.protocol}//${host}`, request.path);
    if (kind) this.started.set(request, { kind, atMs: performance.now() });
  };
  private readonly onFinish = (message: unknown): void => {
    const request = (message as { request?: ClientRequest }).request;
    const start = request && this.started.get(request);
    if (!start) return;
    this.started.delete(request);
    this.times[start.kind] = (this.times[start.kind] ?? 0) + performance.now() - start.atMs;
  };

  constructor(endpoints: StorageEndpoints) {
    this.services = (Object.keys(endpoints) as (keyof StorageEndpoints)[]).map((kind) => {
      const url = new URL(endpoints[kind]);
      return { kind, origin: url.origin, path: url.pathname.replace(/\/$/, "") };
    });
  }

  start(): void {
    subscribe(REQUEST_START, this.onStart);
    subscribe(RESPONSE_FINISH, this.onFinish);
  }

  stop(): void {
    unsubscribe(REQUEST_START, this.onStart);
    unsubscribe(RESPONSE_FINISH, this.onFinish);
  }

  snapshot(): StorageOperationCounts {
    return { ...this.counts };
  }

  /** Milliseconds spent per kind, for requests whose response has ended. */
  timesSnapshot(): StorageOperationTimes {
    return Object.fromEntries(Object.entries(this.times).map(([kind, ms]) => [kind, Math.round(ms)]));
  }

  /** Counts one request and returns its kind; exposed for tests of the classification. */
  observe(method: string, origin: string, path: string): string | undefined {
    const [pathname, query = ""] = path.split("?", 2) as [string, string?];
    for (const service of this.services) {
      if (!sameOrigin(origin, service.origin) || !pathname.startsWith(service.path)) continue;
      const kind = `${service.kind}.${classify(service.kind, method, pathname.slice(service.path.length), query)}`;
      this.counts[kind] = (this.counts[kind] ?? 0) + 1;
      return kind;
    }
    return undefined;
  }
}

function sameOrigin(a: string, b: string): boolean {
  const normalise = (origin: string) => origin.replace(/:(80|443)$/, "").toLowerCase();
  return normalise(a) === normalise(b);
}

function classify(service: keyof StorageEndpoints, method: string, path: string, query: string): string {
  switch (service) {
    case "queue":
      return classifyQueue(method, path, query);
    case "table":
      return classifyTable(method, path);
    case "blob":
      return method === "GET" || method === "HEAD" ? "read" : method === "DELETE" ? "delete" : "write";
  }
}

/** `/{queue}/messages[/{id}]`; anything else is queue management. */
function classifyQueue(method: string, path: string, query: string): string {
  const segments = path.split("/").filter(Boolean);
  if (segments[1] !== "messages") return "management";
  if (segments.length === 2) {
    if (method === "POST") return "send";
    if (method === "GET") return /(^|&)peekonly=true/i.test(query) ? "peek" : "receive";
    return "clear";
  }
  return method === "DELETE" ? "delete" : method === "PUT" ? "update" : "other";
}

/** `/$batch`, `/{table}(PartitionKey='…',RowKey='…')`, `/{table}()` or `/{table}`, `/Tables…`. */
function classifyTable(method: string, path: string): string {
  const decoded = decodeURIComponent(path);
  if (decoded.startsWith("/$batch")) return "transaction";
  if (/^\/Tables\b/i.test(decoded)) return "management";
  const pointed = /\(PartitionKey=/.test(decoded);
  if (method === "GET") return pointed ? "point-read" : "query";
  if (method === "DELETE") return "delete";
  if (method === "POST") return "insert";
  return "upsert";
}
