/** The management API calls the benchmarks make, as any HTTP client would. */
const WEBHOOKS = "/runtime/webhooks/durabletask";

export interface StatusBody {
  instanceId: string;
  runtimeStatus: string;
  output: unknown;
  lastUpdatedTime: string;
  createdTime: string;
}

export class ManagementApi {
  constructor(private readonly baseUrl: string) {}

  /** Starts an orchestration and returns its id (R1, 202). */
  async start(name: string, input: unknown, instanceId?: string): Promise<string> {
    const path = `${WEBHOOKS}/orchestrators/${name}${instanceId ? `/${instanceId}` : ""}`;
    const response = await this.post(path, input);
    if (response.status !== 202) throw await failure("start", response);
    return ((await response.json()) as { id: string }).id;
  }

  /**
   * Starts an orchestration and waits for its output in the same request (R1 wait mode), as
   * long as the management API lets one request wait (230 s, Azure's front-end limit).
   */
  async run(name: string, input: unknown, timeoutS = 230, instanceId?: string): Promise<unknown> {
    const path = `${WEBHOOKS}/orchestrators/${name}${instanceId ? `/${instanceId}` : ""}`;
    const response = await this.post(`${path}?timeout=${timeoutS}&pollingInterval=1`, input);
    if (response.status !== 200) throw await failure(`run ${name}`, response);
    return response.json();
  }

  async status(instanceId: string): Promise<StatusBody> {
    const response = await fetch(`${this.baseUrl}${WEBHOOKS}/instances/${instanceId}`);
    if (response.status !== 200 && response.status !== 202) throw await failure("status", response);
    return (await response.json()) as StatusBody;
  }

  /** Every instance with one of the statuses, all pages. */
  async list(runtimeStatus: string[]): Promise<StatusBody[]> {
    const all: StatusBody[] = [];
    let token: string | null = null;
    do {
      const response: Response = await fetch(
        `${this.baseUrl}${WEBHOOKS}/instances/?runtimeStatus=${runtimeStatus.join(",")}&top=500`,
        { headers: token ? { "x-ms-continuation-token": token } : {} },
      );
      if (response.status !== 200) throw await failure("list", response);
      all.push(...((await response.json()) as StatusBody[]));
      token = response.headers.get("x-ms-continuation-token");
    } while (token);
    return all;
  }

  /** Whether any instance has one of the statuses: one page of at most one row. */
  async anyWith(runtimeStatus: string[]): Promise<boolean> {
    const response = await fetch(
      `${this.baseUrl}${WEBHOOKS}/instances/?runtimeStatus=${runtimeStatus.join(",")}&top=1`,
    );
    if (response.status !== 200) throw await failure("list", response);
    return ((await response.json()) as unknown[]).length > 0;
  }

  async raiseEvent(instanceId: string, name: string, data: unknown): Promise<void> {
    const response = await this.post(`${WEBHOOKS}/instances/${instanceId}/raiseEvent/${name}`, data);
    if (response.status !== 202) throw await failure("raiseEvent", response);
  }

  async signalEntity(name: string, key: string, operation: string, input: unknown): Promise<void> {
    const response = await this.post(`${WEBHOOKS}/entities/${name}/${key}?op=${operation}`, input);
    if (response.status !== 202) throw await failure("signalEntity", response);
  }

  /** The entity's state, or undefined when it does not exist (R13). */
  async entityState(name: string, key: string): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${WEBHOOKS}/entities/${name}/${key}`);
    if (response.status === 404) return undefined;
    if (response.status !== 200) throw await failure("entityState", response);
    return response.json();
  }

  private post(path: string, body: unknown): Promise<Response> {
    return fetch(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    });
  }
}

async function failure(what: string, response: Response): Promise<Error> {
  return new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
}
