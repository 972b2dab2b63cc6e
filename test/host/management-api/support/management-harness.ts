/**
 * The management API over real HTTP: a node:http server on 127.0.0.1 (free port) that turns
 * requests into HostRequests, in front of an in-memory hub with a running worker and the
 * functions of management-functions.ts.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { TaskHubClient } from "../../../../src/engine/client";
import { isTerminalStatus } from "../../../../src/engine/errors";
import { DurableWorker } from "../../../../src/engine/worker";
import {
  createManagementApi,
  durableClientBindingPayload,
  type HostRequest,
  type ManagementApi,
} from "../../../../src/host/management-api";
import type { DurableClientBindingPayload } from "../../../../src/protocol";
import type { InstanceState } from "../../../../src/providers/task-hub";
import { MemoryTaskHub } from "../../../../src/providers/memory";
import { registry } from "../../../../src/sdk/registry";
import { RegistryInvoker } from "../../../../src/testing/registry-invoker";
import { waitFor } from "../../../support/wait-for";
import { registerManagementFunctions } from "./management-functions";

export const HUB_NAME = "MgmtHub";
export const WEBHOOK_PATH = "/runtime/webhooks/durabletask";

/** One request the server answered, for tests that check the codes a client received. */
export interface Exchange {
  method: string;
  /** Path and query as received. */
  url: string;
  status: number;
}

export interface HarnessOptions {
  systemKey?: string;
}

export class ManagementHarness {
  private constructor(
    readonly hub: MemoryTaskHub,
    readonly client: TaskHubClient,
    readonly api: ManagementApi,
    private readonly worker: DurableWorker,
    private readonly server: Server,
    /** http://127.0.0.1:<port> */
    readonly origin: string,
    private readonly systemKey: string | undefined,
    readonly exchanges: Exchange[],
  ) {}

  static async start(options: HarnessOptions = {}): Promise<ManagementHarness> {
    registerManagementFunctions();
    const hub = new MemoryTaskHub({ name: HUB_NAME });
    const worker = new DurableWorker(hub, new RegistryInvoker());
    await worker.start();
    const client = new TaskHubClient(hub);
    const api = createManagementApi({
      client,
      taskHubName: HUB_NAME,
      connectionName: "Storage",
      hasOrchestrator: (name) => registry.getOrchestration(name) !== undefined,
      systemKey: options.systemKey,
    });
    const exchanges: Exchange[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const request: HostRequest = {
          method: req.method ?? "GET",
          url: new URL(req.url ?? "/", `http://${req.headers.host ?? "127.0.0.1"}`),
          headers: flattenHeaders(req.headers),
          body: Buffer.concat(chunks),
          remoteAddress: req.socket.remoteAddress,
        };
        void api.handle(request).then((response) => {
          const { status, headers, body } = response ?? { status: 404, headers: {}, body: undefined };
          exchanges.push({ method: request.method, url: req.url ?? "", status });
          res.writeHead(status, headers);
          res.end(body);
        });
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return new ManagementHarness(
      hub,
      client,
      api,
      worker,
      server,
      `http://127.0.0.1:${port}`,
      options.systemKey,
      exchanges,
    );
  }

  /** What `action` sent and got, as "METHOD status" per request. */
  async statusesOf(action: () => Promise<unknown>): Promise<string[]> {
    const before = this.exchanges.length;
    await action().catch(() => undefined);
    return this.exchanges.slice(before).map((exchange) => `${exchange.method} ${exchange.status}`);
  }

  /** The webhook base on this server. */
  get webhook(): string {
    return `${this.origin}${WEBHOOK_PATH}`;
  }

  /**
   * The durableClient binding a host would hand a client function of this app. `code` puts a
   * key in its URLs even when the API asks for none (the clients' legacy entity calls need one).
   */
  binding(code = this.systemKey): DurableClientBindingPayload {
    return durableClientBindingPayload({
      origin: this.origin,
      taskHubName: HUB_NAME,
      connectionName: "Storage",
      code,
    });
  }

  /** A request to `{webhook}/{path}`; the body is sent as given. */
  async send(
    method: string,
    path: string,
    init: { body?: string; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const response = await fetch(`${this.webhook}/${path}`, {
      method,
      body: init.body,
      headers: init.headers,
    });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return { status: response.status, headers, text, json: text ? (JSON.parse(text) as unknown) : undefined };
  }

  /**
   * Polls R13 for an entity until `ready` holds for its answer (signals are processed
   * asynchronously); returns that answer.
   */
  async entityWhen(
    name: string,
    key: string,
    ready: (response: ApiResponse) => boolean,
    timeoutMs = 10_000,
  ): Promise<ApiResponse> {
    let response: ApiResponse | undefined;
    const path = `entities/${encodeURIComponent(name)}/${encodeURIComponent(key)}`;
    try {
      await waitFor(
        async () => ready((response = await this.send("GET", path))),
        timeoutMs,
        `The entity @${name}@${key} reaching the state asked for`,
        10,
      );
    } catch (error) {
      throw new Error(`${(error as Error).message} Last answer: ${response?.status} ${response?.text}`, {
        cause: error,
      });
    }
    return response as ApiResponse;
  }

  /** Waits until the entity exists with a state for which `ready` holds; returns that state. */
  async entityState<T>(name: string, key: string, ready: (state: T) => boolean = () => true): Promise<T> {
    const response = await this.entityWhen(
      name,
      key,
      (answer) => answer.status === 200 && ready(answer.json as T),
    );
    return response.json as T;
  }

  /** Waits until the entity does not exist (R13 answers 404). */
  async entityGone(name: string, key: string): Promise<void> {
    await this.entityWhen(name, key, (answer) => answer.status === 404);
  }

  /** Waits until the instance has ended. */
  async completed(instanceId: string): Promise<InstanceState> {
    const state = await this.client.waitForCompletion(instanceId, 10_000);
    if (!state || !isTerminalStatus(state.runtimeStatus)) {
      throw new Error(`Instance '${instanceId}' did not end: ${state?.runtimeStatus}`);
    }
    return state;
  }

  /** Waits until the instance has a status row with this runtime status. */
  async reaches(instanceId: string, status: InstanceState["runtimeStatus"]): Promise<InstanceState> {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const state = await this.client.getInstance(instanceId);
      if (state?.runtimeStatus === status) return state;
      if (Date.now() > deadline) throw new Error(`Instance '${instanceId}' is ${state?.runtimeStatus}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await this.worker.stop();
  }
}

export interface ApiResponse {
  status: number;
  /** Lower-case names. */
  headers: Record<string, string>;
  text: string;
  json: unknown;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string | undefined> {
  const flat: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(headers)) {
    flat[name] = Array.isArray(value) ? value.join(", ") : value;
  }
  return flat;
}

/**
 * One harness for the whole test file: started before its first test, stopped after its last.
 * Call at the top level; the getter returns the running harness.
 */
export function useManagementHarness(options: HarnessOptions = {}): () => ManagementHarness {
  let harness: ManagementHarness | undefined;
  beforeAll(async () => {
    harness = await ManagementHarness.start(options);
  });
  afterAll(async () => {
    await harness?.stop();
  });
  return () => {
    if (!harness) throw new Error("The management harness is not running: use it inside a test.");
    return harness;
  };
}

export const JSON_HEADERS = { "Content-Type": "application/json" };
