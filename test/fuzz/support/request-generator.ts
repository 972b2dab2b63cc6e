/**
 * Generates bad and odd requests over every management route (the same handler serves the
 * webhook path and the durable clients' rpcBaseUrl) and the demo app's HTTP routes.
 */
import {
  ODD_BODIES,
  ODD_BOOLEANS,
  ODD_DATES,
  ODD_IDS,
  ODD_NUMBERS,
  ODD_TOKENS,
  RUNTIME_STATUSES,
  type OddBody,
} from "./odd-values";
import type { SeededRandom } from "./seeded-random";

export interface FuzzRequest {
  /** What was generated, to name a failure. */
  label: string;
  method: string;
  /** Path and query as they go on the wire. */
  target: string;
  headers: Record<string, string>;
  body?: Buffer;
  /** Requests that may wait for an instance (timeout=…) get this long; others get the default. */
  maxMs?: number;
}

/** Ids that exist when the fuzzing starts, so some requests reach real instances and entities. */
export interface KnownIds {
  running: string;
  completed: string;
  counterKey: string;
}

const WEBHOOK = "/runtime/webhooks/durabletask";
const ORCHESTRATORS = ["HelloSequence", "Approval", "NoSuchOrchestrator", "Counter", "HttpStart"];
const OPERATIONS = ["terminate", "suspend", "resume", "rewind", "restart", "TERMINATE", "explode"];
const ENTITY_NAMES = ["Counter", "counter", "NoSuchEntity"];
const COUNTER_OPERATIONS = ["add", "subtract", "reset", "delete", "get", "explode", ""];
const ODD_METHODS = ["PUT", "PATCH", "OPTIONS", "HEAD", "TRACE", "FOO"];

export class RequestGenerator {
  constructor(
    private readonly random: SeededRandom,
    private readonly known: KnownIds,
  ) {}

  /** `count` requests, the same ones for the same seed. */
  generate(count: number): FuzzRequest[] {
    const makers = [
      () => this.startOrchestration(),
      () => this.getStatus(),
      () => this.listInstances(),
      () => this.purgeInstance(),
      () => this.purgeInstances(),
      () => this.raiseEvent(),
      () => this.instanceOperation(),
      () => this.signalEntity(),
      () => this.readEntity(),
      () => this.listEntities(),
      () => this.oddMethod(),
      () => this.demoStart(),
      () => this.demoCounterSignal(),
      () => this.demoCounterRead(),
    ];
    const requests: FuzzRequest[] = [];
    for (let i = 0; i < count; i++) requests.push(makers[i % makers.length]());
    return requests;
  }

  private startOrchestration(): FuzzRequest {
    const name = this.random.chance(0.7) ? this.random.pick(ORCHESTRATORS) : this.oddId();
    const withId = this.random.chance(0.6);
    const query = this.someOf({
      timeout: () => this.random.pick(["0", "1", ...ODD_NUMBERS]),
      pollingInterval: () => this.random.pick(["0", "0.5", ...ODD_NUMBERS]),
      version: () => this.oddId(),
    });
    const body = this.body();
    return this.request(
      `start ${JSON.stringify(name)}${withId ? "" : " without id"} body ${body?.label ?? "none"}`,
      "POST",
      `${WEBHOOK}/orchestrators/${this.segment(name)}${withId ? `/${this.instanceIdSegment()}` : ""}`,
      query,
      body,
    );
  }

  private getStatus(): FuzzRequest {
    const query = this.someOf({
      showHistory: () => this.random.pick(ODD_BOOLEANS),
      showHistoryOutput: () => this.random.pick(ODD_BOOLEANS),
      showInput: () => this.random.pick(ODD_BOOLEANS),
      taskHub: () => this.oddId(),
      connection: () => this.oddId(),
    });
    return this.request("get status", "GET", `${WEBHOOK}/instances/${this.instanceIdSegment()}`, query);
  }

  private listInstances(): FuzzRequest {
    const query = this.someOf({
      top: () => this.random.pick(ODD_NUMBERS),
      createdTimeFrom: () => this.random.pick(ODD_DATES),
      createdTimeTo: () => this.random.pick(ODD_DATES),
      runtimeStatus: () => this.random.pick(RUNTIME_STATUSES),
      instanceIdPrefix: () => this.oddId(),
      showInput: () => this.random.pick(ODD_BOOLEANS),
      continuationToken: () => this.random.pick(ODD_TOKENS),
    });
    return this.withToken(this.request("list instances", "GET", `${WEBHOOK}/instances`, query));
  }

  private purgeInstance(): FuzzRequest {
    return this.request("purge", "DELETE", `${WEBHOOK}/instances/${this.oddIdSegment()}`, []);
  }

  private purgeInstances(): FuzzRequest {
    const query = this.someOf({
      createdTimeFrom: () => this.random.pick(ODD_DATES),
      createdTimeTo: () => this.random.pick(ODD_DATES),
      runtimeStatus: () => this.random.pick(RUNTIME_STATUSES),
    });
    // Purging every ended instance is a valid request; the fuzz keeps to the ones it made up.
    if (!query.some(([key]) => key === "createdTimeFrom"))
      query.push(["createdTimeFrom", "9999-01-01T00:00:00Z"]);
    return this.request("purge by filter", "DELETE", `${WEBHOOK}/instances`, query);
  }

  private raiseEvent(): FuzzRequest {
    const body = this.body();
    return this.request(
      `raise event body ${body?.label ?? "none"}`,
      "POST",
      `${WEBHOOK}/instances/${this.instanceIdSegment()}/raiseEvent/${this.segment(this.oddOrPlain("Approval"))}`,
      this.someOf({ taskHub: () => this.oddId() }),
      body,
    );
  }

  private instanceOperation(): FuzzRequest {
    const operation = this.random.pick(OPERATIONS);
    const query = this.someOf({
      reason: () => this.oddId(),
      restartWithNewInstanceId: () => this.random.pick(ODD_BOOLEANS),
      timeout: () => this.random.pick(["1", ...ODD_NUMBERS]),
      pollingInterval: () => this.random.pick(["0.5", ...ODD_NUMBERS]),
    });
    return this.request(
      operation,
      "POST",
      `${WEBHOOK}/instances/${this.instanceIdSegment()}/${operation}`,
      query,
      this.random.chance(0.3) ? this.body() : undefined,
    );
  }

  private signalEntity(): FuzzRequest {
    const body = this.body();
    const method = this.random.chance(0.8) ? "POST" : "DELETE";
    return this.request(
      `${method} entity body ${body?.label ?? "none"}`,
      method,
      `${WEBHOOK}/entities/${this.entityPath()}`,
      this.someOf({ op: () => this.oddOrPlain(this.random.pick(COUNTER_OPERATIONS)) }),
      body,
    );
  }

  private readEntity(): FuzzRequest {
    return this.request("read entity", "GET", `${WEBHOOK}/entities/${this.entityPath()}`, []);
  }

  private listEntities(): FuzzRequest {
    const name = this.random.chance(0.5) ? `/${this.segment(this.oddOrPlain("Counter"))}` : "";
    const query = this.someOf({
      top: () => this.random.pick(ODD_NUMBERS),
      lastOperationTimeFrom: () => this.random.pick(ODD_DATES),
      lastOperationTimeTo: () => this.random.pick(ODD_DATES),
      fetchState: () => this.random.pick(ODD_BOOLEANS),
    });
    return this.withToken(this.request("list entities", "GET", `${WEBHOOK}/entities${name}`, query));
  }

  private oddMethod(): FuzzRequest {
    const paths = [
      `${WEBHOOK}/instances/${this.instanceIdSegment()}`,
      `${WEBHOOK}/orchestrators/HelloSequence`,
      `${WEBHOOK}/entities/Counter/k`,
      `${WEBHOOK}/`,
      `${WEBHOOK}/nowhere/${this.oddIdSegment()}`,
      `/api/counters/${this.oddIdSegment()}`,
    ];
    const method = this.random.pick(ODD_METHODS);
    return this.request(`${method} method`, method, this.random.pick(paths), [], undefined);
  }

  private demoStart(): FuzzRequest {
    const name = this.random.chance(0.7) ? this.random.pick(ORCHESTRATORS) : this.oddId();
    const body = this.body();
    const withId = this.random.chance(0.6);
    return this.request(
      `demo start ${JSON.stringify(name)} body ${body?.label ?? "none"}`,
      "POST",
      `/api/orchestrators/${this.segment(name)}${withId ? `/${this.instanceIdSegment()}` : ""}`,
      [],
      body,
    );
  }

  private demoCounterSignal(): FuzzRequest {
    const body = this.body();
    const key = this.random.chance(0.3) ? this.known.counterKey : this.oddId();
    return this.request(
      `demo counter signal body ${body?.label ?? "none"}`,
      "POST",
      `/api/counters/${this.segment(key)}/${this.segment(this.oddOrPlain(this.random.pick(COUNTER_OPERATIONS)))}`,
      [],
      body,
    );
  }

  private demoCounterRead(): FuzzRequest {
    const key = this.random.chance(0.3) ? this.known.counterKey : this.oddId();
    return this.request("demo counter read", "GET", `/api/counters/${this.segment(key)}`, []);
  }

  /** Sometimes a continuation token header, odd or of the wrong kind. */
  private withToken(request: FuzzRequest): FuzzRequest {
    if (this.random.chance(0.5)) {
      const token = this.random.pick(ODD_TOKENS);
      request.headers["x-ms-continuation-token"] = token;
      request.label += ` token ${JSON.stringify(token.slice(0, 40))}`;
    }
    return request;
  }

  private request(
    label: string,
    method: string,
    path: string,
    query: [string, string][],
    body?: OddBody,
  ): FuzzRequest {
    const search = query.map(([key, value]) => `${key}=${this.queryValue(value)}`).join("&");
    const headers: Record<string, string> = {};
    if (body?.contentType !== undefined) headers["content-type"] = body.contentType;
    const waits = query.some(([key]) => key === "timeout");
    return {
      label: `${label}${search ? ` ?${search.slice(0, 200)}` : ""}`,
      method,
      target: search ? `${path}?${search}` : path,
      headers,
      ...(body ? { body: body.bytes } : {}),
      // A valid wait is at most 230 s; the values drawn here that are valid wait 3 s at most.
      ...(waits ? { maxMs: 15_000 } : {}),
    };
  }

  /** Each parameter with a chance of one half, now and then twice. */
  private someOf(makers: Record<string, () => string>): [string, string][] {
    const query: [string, string][] = [];
    for (const [key, make] of Object.entries(makers)) {
      if (!this.random.chance(0.5)) continue;
      query.push([key, make()]);
      if (this.random.chance(0.1)) query.push([key, make()]);
    }
    return query;
  }

  private body(): OddBody | undefined {
    return this.random.chance(0.15) ? undefined : this.random.pick(ODD_BODIES);
  }

  private oddId(): string {
    return this.random.pick(ODD_IDS);
  }

  private oddOrPlain(plain: string): string {
    return this.random.chance(0.5) ? plain : this.oddId();
  }

  private instanceIdSegment(): string {
    const roll = this.random.next();
    if (roll < 0.2) return this.known.running;
    if (roll < 0.35) return this.known.completed;
    return this.oddIdSegment();
  }

  private oddIdSegment(): string {
    return this.segment(this.oddId());
  }

  private entityPath(): string {
    const name = this.random.pick(ENTITY_NAMES);
    const key = this.random.chance(0.3) ? this.known.counterKey : this.oddId();
    return `${this.segment(this.oddOrPlain(name))}/${this.segment(key)}`;
  }

  /**
   * A path segment, percent-encoded (the usual way) or raw: URL delimiters such as `/ # ? %`
   * left as they are, only what HTTP cannot carry encoded.
   */
  private segment(value: string): string {
    return this.random.chance(0.6) ? encodeComponent(value) : encodeRaw(value);
  }

  private queryValue(value: string): string {
    return this.random.chance(0.8) ? encodeComponent(value) : encodeRaw(value);
  }
}

/** encodeURIComponent, with lone surrogates written as the bytes of their code units. */
function encodeComponent(value: string): string {
  let out = "";
  for (const char of value) {
    try {
      out += encodeURIComponent(char);
    } catch {
      out += percentBytes(Buffer.from(latinSurrogate(char), "latin1"));
    }
  }
  return out;
}

/** Printable ASCII as is; anything else as percent-encoded UTF-8 (or surrogate) bytes. */
function encodeRaw(value: string): string {
  let out = "";
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (code > 0x20 && code < 0x7f) out += char;
    else out += encodeComponent(char);
  }
  return out;
}

/** The three bytes CESU-8 would give a lone surrogate: invalid UTF-8 to any strict decoder. */
function latinSurrogate(char: string): string {
  const code = char.charCodeAt(0);
  return String.fromCharCode(0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f));
}

function percentBytes(bytes: Buffer): string {
  return [...bytes].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, "0")}`).join("");
}
