/**
 * An app written for Microsoft's `durable-functions` package (samples/official-durable-functions,
 * with its own node_modules from npm) runs on `durable start` unchanged. Every case is driven
 * over HTTP, through the app's own client functions, which call the official DurableClient, and
 * through the management API when the official client cannot show something (history).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { delay, waitFor } from "../support/wait-for";
import { http, startHost, type HostProcess, type JsonResponse } from "../host/support/host-process";
import type { HttpManagementPayload } from "../../src/protocol/client-payload";
import { SAMPLE_DIR, ensureSampleDependencies, uniqueHubName } from "./support/official-sample";

/** The check-status body: the management URLs of one instance. */
type CheckStatus = HttpManagementPayload;

interface Status {
  name: string;
  instanceId: string;
  runtimeStatus: string;
  input: unknown;
  output: unknown;
  customStatus: unknown;
  createdTime: string;
  lastUpdatedTime: string;
}

interface HistoryEvent {
  EventType: string;
  FunctionName?: string;
  Name?: string;
  Input?: unknown;
  Result?: unknown;
  Reason?: string;
  OrchestrationStatus?: string;
}

const ENDED = ["Completed", "Failed", "Terminated", "Canceled"];

/**
 * For the cases that wait on durable timers: a timer is a delayed queue message, found by a
 * poller that backs off while the hub is idle, and slower still when the machine is busy.
 */
const TIMERS_TEST_MS = 60_000;
const TIMERS_WAIT_MS = 50_000;

const hubName = uniqueHubName("OfficialSample");
/** Makes ids and entity keys unique to this run as well. */
const run = Date.now().toString(36);
let host: HostProcess;

beforeAll(async () => {
  await ensureSampleDependencies();
  host = await startHost({ appDir: SAMPLE_DIR, env: { SampleTaskHub: hubName } });
}, 180_000);

afterAll(async () => {
  await host?.stop();
});

const api = (path: string): string => `${host.url}/api/${path}`;
/** The host on the loopback address it listens on, for the orchestration's own HTTP calls. */
const loopbackUrl = (): string => `http://127.0.0.1:${host.port}`;

/** Starts an orchestration through the sample's `httpStart` (app.http + df.getClient). */
async function start(name: string, input?: unknown, instanceId?: string): Promise<CheckStatus> {
  const response = await http(
    "POST",
    api(`orchestrators/${name}${instanceId ? `/${instanceId}` : ""}`),
    input,
  );
  expect({ status: response.status, body: response.body }).toMatchObject({ status: 202 });
  return response.body as CheckStatus;
}

/** The status from the sample's `getInstanceStatus`, i.e. the official client's getStatus. */
async function getStatus(instanceId: string, query = ""): Promise<JsonResponse & { body: Status }> {
  return (await http("GET", api(`instances/${encodeURIComponent(instanceId)}${query}`))) as JsonResponse & {
    body: Status;
  };
}

async function waitForStatus(
  instanceId: string,
  ready: (status: Status) => boolean,
  timeoutMs = 25_000,
): Promise<Status> {
  let last: JsonResponse | undefined;
  try {
    await waitFor(
      async () => {
        last = await getStatus(instanceId);
        return last.status === 200 && ready(last.body as Status);
      },
      timeoutMs,
      `instance ${instanceId}`,
      100,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message} Last answer: ${last?.status} ${last?.text}`, {
      cause: error,
    });
  }
  return last?.body as Status;
}

const waitForEnd = (instanceId: string, timeoutMs?: number): Promise<Status> =>
  waitForStatus(instanceId, (status) => ENDED.includes(status.runtimeStatus), timeoutMs);

/** The history the management API shows (the official client drops it, see below). */
async function history(instanceId: string, showHistoryOutput = true): Promise<HistoryEvent[]> {
  const url = `${host.url}/runtime/webhooks/durabletask/instances/${encodeURIComponent(instanceId)}?showHistory=true${
    showHistoryOutput ? "&showHistoryOutput=true" : ""
  }`;
  const response = await http("GET", url);
  expect(response.status).toBe(200);
  return (response.body as { historyEvents: HistoryEvent[] }).historyEvents;
}

function countEvents(events: HistoryEvent[], type: string, functionName?: string): number {
  return events.filter(
    (event) =>
      event.EventType === type && (functionName === undefined || event.FunctionName === functionName),
  ).length;
}

async function readEntity(name: string, key: string): Promise<JsonResponse> {
  return http("GET", api(`entities/${name}/${key}`));
}

async function readEntityUntil(name: string, key: string, expected: unknown): Promise<void> {
  let last: JsonResponse | undefined;
  await waitFor(
    async () => {
      last = await readEntity(name, key);
      return JSON.stringify(last.body) === JSON.stringify(expected);
    },
    15_000,
    `${name}/${key} to read ${JSON.stringify(expected)} (last: ${last?.text})`,
  );
}

describe("the app's own packages", () => {
  it("are installed from its lockfile once, then reused", async () => {
    expect(await ensureSampleDependencies()).toBe(false);
  });

  it("register its functions with the host, from the sample's node_modules", async () => {
    const output = host.output();
    for (const line of [
      "helloSequence: orchestrationTrigger",
      "sayHello: activityTrigger",
      "Counter: entityTrigger",
      `httpStart: [POST] ${host.url}/api/orchestrators/{orchestratorName}/{instanceId?}`,
      `httpStartAndWait: [POST] ${host.url}/api/orchestrators-wait/{orchestratorName}/{instanceId?}`,
      `Task hub: ${hubName}.`,
    ]) {
      expect(output).toContain(line);
    }

    const info = await http("GET", api("runtime-info"));
    expect(info.status).toBe(200);
    const body = info.body as {
      azureFunctions: string;
      durableFunctions: string;
      loadedAzureFunctionsPackages: string[];
      loadedDurableFunctionsPackages: string[];
    };
    const ownAzureFunctions = join(SAMPLE_DIR, "node_modules/@azure/functions");
    const ownDurableFunctions = join(SAMPLE_DIR, "node_modules/durable-functions");
    expect(body.azureFunctions.startsWith(ownAzureFunctions)).toBe(true);
    expect(body.durableFunctions.startsWith(ownDurableFunctions)).toBe(true);
    // The only copies in the host process: not the repository's devDependency copies.
    expect(body.loadedAzureFunctionsPackages).toEqual([ownAzureFunctions]);
    expect(body.loadedDurableFunctionsPackages).toEqual([ownDurableFunctions]);
    const versionOf = (folder: string): string =>
      (JSON.parse(readFileSync(join(folder, "package.json"), "utf8")) as { version: string }).version;
    expect(versionOf(ownAzureFunctions)).toMatch(/^4\./);
    expect(versionOf(ownDurableFunctions)).toBe("3.5.0");
  });
});

describe("orchestration patterns", () => {
  it("chains activities", async () => {
    const { id } = await start("helloSequence");
    const status = await waitForEnd(id);
    expect(status).toMatchObject({
      name: "helloSequence",
      runtimeStatus: "Completed",
      output: ["Hello Tokyo!", "Hello Seattle!", "Hello Cairo!"],
    });
    const events = await history(id);
    expect(events[0]).toMatchObject({ EventType: "ExecutionStarted", FunctionName: "helloSequence" });
    expect(events.filter((event) => event.EventType === "TaskCompleted")).toEqual([
      expect.objectContaining({ FunctionName: "sayHello", Result: "Hello Tokyo!" }),
      expect.objectContaining({ FunctionName: "sayHello", Result: "Hello Seattle!" }),
      expect.objectContaining({ FunctionName: "sayHello", Result: "Hello Cairo!" }),
    ]);
    expect(events.at(-1)).toMatchObject({
      EventType: "ExecutionCompleted",
      OrchestrationStatus: "Completed",
    });
  });

  it(
    "fans out to 200 activities and fans in their results",
    async () => {
      const { id } = await start("fanOutFanIn", 200);
      const status = await waitForEnd(id, TIMERS_WAIT_MS);
      // 1² + 2² + … + 200²
      expect(status).toMatchObject({ runtimeStatus: "Completed", output: { count: 200, sum: 2686700 } });
      const events = await history(id, false);
      expect(countEvents(events, "TaskCompleted", "getWorkItems")).toBe(1);
      expect(countEvents(events, "TaskCompleted", "squareNumber")).toBe(200);
    },
    TIMERS_TEST_MS,
  );

  it(
    "sleeps on durable timers and reports its progress in its custom status",
    async () => {
      const { id } = await start("countdown", { steps: 3, intervalSeconds: 1 });
      const seen = new Set<number>();
      const status = await waitForStatus(
        id,
        (current) => {
          const remaining = (current.customStatus as { remaining?: number } | null)?.remaining;
          if (current.runtimeStatus === "Running" && typeof remaining === "number") seen.add(remaining);
          return ENDED.includes(current.runtimeStatus);
        },
        TIMERS_WAIT_MS,
      );
      expect(status).toMatchObject({
        runtimeStatus: "Completed",
        output: "Liftoff!",
        customStatus: { remaining: 0, done: true },
      });
      // Polled every 100 ms over three one-second timers: the countdown was seen while it ran.
      expect([...seen].every((remaining) => remaining >= 1 && remaining <= 3)).toBe(true);
      expect(seen.size).toBeGreaterThanOrEqual(2);
      const events = await history(id);
      expect(countEvents(events, "TimerCreated")).toBe(3);
      expect(countEvents(events, "TimerFired")).toBe(3);
    },
    TIMERS_TEST_MS,
  );

  it("takes an external event that arrives before the timer it races", async () => {
    const { id } = await start("approvalWorkflow", { timeoutSeconds: 60 });
    await waitForStatus(id, (status) => status.runtimeStatus === "Running");
    const raised = await http("POST", api(`instances/${id}/raiseEvent/ApprovalEvent`), {
      approved: true,
      by: "ann",
    });
    expect(raised.status).toBe(202);
    const status = await waitForEnd(id);
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { outcome: "approved", approval: { approved: true, by: "ann" } },
    });
    const events = await history(id);
    expect(events).toContainEqual(
      expect.objectContaining({ EventType: "EventRaised", Name: "ApprovalEvent" }),
    );
    expect(countEvents(events, "TimerCreated")).toBe(1);
    expect(countEvents(events, "TimerFired")).toBe(0);
  });

  it(
    "escalates when the timer fires before any event",
    async () => {
      const { id } = await start("approvalWorkflow", { timeoutSeconds: 1 });
      const status = await waitForEnd(id, TIMERS_WAIT_MS);
      expect(status).toMatchObject({
        runtimeStatus: "Completed",
        output: { outcome: "escalated", instanceId: id },
      });
      const events = await history(id);
      expect(countEvents(events, "TimerFired")).toBe(1);
      expect(countEvents(events, "EventRaised")).toBe(0);
    },
    TIMERS_TEST_MS,
  );

  it(
    "retries a flaky activity with callActivityWithRetry until it succeeds",
    async () => {
      const key = `flaky-${run}`;
      const { id } = await start("retryFlaky", { key, failures: 2 });
      const status = await waitForEnd(id, TIMERS_WAIT_MS);
      expect(status).toMatchObject({ runtimeStatus: "Completed", output: { key, attempts: 3 } });
      const events = await history(id);
      expect(countEvents(events, "TaskFailed", "flakyWork")).toBe(2);
      expect(countEvents(events, "TaskCompleted", "flakyWork")).toBe(1);
      // One durable timer between attempts.
      expect(countEvents(events, "TimerFired")).toBe(2);
    },
    TIMERS_TEST_MS,
  );

  it(
    "fails once the retries are used up, with the last attempt's message",
    async () => {
      const key = `hopeless-${run}`;
      const { id } = await start("retryFlaky", { key, failures: 100 });
      const status = await waitForEnd(id, TIMERS_WAIT_MS);
      expect(status.runtimeStatus).toBe("Failed");
      expect(status.output).toContain(`flakyWork '${key}' failed on attempt 5`);
      expect(countEvents(await history(id), "TaskFailed", "flakyWork")).toBe(5);
    },
    TIMERS_TEST_MS,
  );

  it("runs sub-orchestrations with explicit and generated instance ids", async () => {
    const parentId = `regions-${run}`;
    await start("processRegions", ["emea", "apac", "amer"], parentId);
    const status = await waitForEnd(parentId);
    expect(status.runtimeStatus).toBe("Completed");
    const children = status.output as {
      region: string;
      greeting: string;
      instanceId: string;
      parentInstanceId: string;
    }[];
    expect(children.map((child) => [child.region, child.greeting, child.parentInstanceId])).toEqual([
      ["emea", "Hello emea!", parentId],
      ["apac", "Hello apac!", parentId],
      ["amer", "Hello amer!", parentId],
    ]);
    expect(children[0].instanceId).toBe(`${parentId}-emea`);
    // As the extension generates them: "<parent id>:<sequence number, 4 hex digits>".
    for (const child of children.slice(1))
      expect(child.instanceId).toMatch(new RegExp(`^${parentId}:[0-9A-Fa-f]{4}$`));
    expect(new Set(children.map((child) => child.instanceId)).size).toBe(3);
    for (const child of children) {
      const childStatus = await getStatus(child.instanceId);
      expect(childStatus.body).toMatchObject({
        name: "processRegion",
        runtimeStatus: "Completed",
        input: child.region,
      });
    }
    const events = await history(parentId);
    expect(countEvents(events, "SubOrchestrationInstanceCompleted", "processRegion")).toBe(3);
  });

  it("continues as new with a fresh history for each generation", async () => {
    const { id } = await start("countUp", { value: 0, until: 3 });
    const status = await waitForEnd(id);
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: 3, input: { value: 2, until: 3 } });
    const events = await history(id);
    // Only the last generation: one increment, started with the last input.
    expect(countEvents(events, "TaskCompleted", "increment")).toBe(1);
    expect(events[0]).toMatchObject({ EventType: "ExecutionStarted", FunctionName: "countUp" });
    expect(JSON.parse(events[0].Input as string)).toEqual({ value: 2, until: 3 });
  });

  it("fails the orchestration with the message of an activity that throws", async () => {
    const waited = await http("POST", api("orchestrators-wait/chargeOrder?timeoutMs=15000"), { orderId: 42 });
    // waitForCompletionOrCreateCheckStatusResponse answers a failure with 500 and the status.
    expect(waited.status).toBe(500);
    const status = waited.body as Status;
    expect(status.runtimeStatus).toBe("Failed");
    expect(status.output).toMatch(
      /^Orchestrator function 'chargeOrder' failed: Activity function 'chargeCard' failed: Card declined for order 42/,
    );
    const events = await history(status.instanceId);
    expect(events).toContainEqual(
      expect.objectContaining({
        EventType: "TaskFailed",
        FunctionName: "chargeCard",
        Reason: "Activity function 'chargeCard' failed: Card declined for order 42",
      }),
    );
    expect(events.at(-1)).toMatchObject({ EventType: "ExecutionCompleted", OrchestrationStatus: "Failed" });
  });

  it("lets the orchestration catch an activity's failure", async () => {
    const waited = await http("POST", api("orchestrators-wait/chargeOrderSafely?timeoutMs=15000"), {
      orderId: 7,
    });
    expect(waited.status).toBe(200);
    expect(waited.body).toMatchObject({ charged: false });
    expect((waited.body as { reason: string }).reason).toContain("Card declined for order 7");
  });
});

describe("the DurableClient of client functions", () => {
  it("startNew + createCheckStatusResponse (app.http with extraInputs) answer 202 with every management URL", async () => {
    const instanceId = `check-${run}`;
    const response = await http("POST", api(`orchestrators/returnInput/${instanceId}`), { hello: "world" });
    expect(response.status).toBe(202);
    const body = response.body as CheckStatus;
    expect(Object.keys(body)).toEqual([
      "id",
      "statusQueryGetUri",
      "sendEventPostUri",
      "terminatePostUri",
      "rewindPostUri",
      "purgeHistoryDeleteUri",
      "restartPostUri",
      "suspendPostUri",
      "resumePostUri",
    ]);
    expect(body.id).toBe(instanceId);
    const webhook = `${host.url}/runtime/webhooks/durabletask/instances/${instanceId}`;
    const hub = `taskHub=${hubName}&connection=Storage`;
    expect(body.statusQueryGetUri).toBe(`${webhook}?${hub}`);
    expect(body.sendEventPostUri).toBe(`${webhook}/raiseEvent/{eventName}?${hub}`);
    expect(body.terminatePostUri).toBe(`${webhook}/terminate?reason={text}&${hub}`);
    expect(body.rewindPostUri).toBe(`${webhook}/rewind?reason={text}&${hub}`);
    expect(body.resumePostUri).toBe(`${webhook}/resume?reason={text}&${hub}`);
    expect(response.headers.get("location")).toBe(body.statusQueryGetUri);
    expect(response.headers.get("retry-after")).toBe("10");

    await waitForEnd(instanceId);
    // The URLs work as they are.
    const viaUrl = await http("GET", body.statusQueryGetUri);
    expect(viaUrl.status).toBe(200);
    expect(viaUrl.body).toMatchObject({ instanceId, runtimeStatus: "Completed", output: { hello: "world" } });
  });

  it("startNew reports an orchestrator the app does not have", async () => {
    const response = await http("POST", api("orchestrators/noSuchOrchestrator"));
    expect(response.status).toBe(500);
    expect((response.body as { error: string }).error).toContain("unexpected status code: 400");
  });

  it("waitForCompletionOrCreateCheckStatusResponse (df.app.client.http) answers with the output or a 202", async () => {
    const completed = await http("POST", api("orchestrators-wait/helloSequence?timeoutMs=15000"));
    expect(completed.status).toBe(200);
    expect(completed.body).toEqual(["Hello Tokyo!", "Hello Seattle!", "Hello Cairo!"]);

    const instanceId = `slow-${run}`;
    const timedOut = await http(
      "POST",
      api(`orchestrators-wait/waitForSignal/${instanceId}?timeoutMs=600&retryIntervalMs=100`),
    );
    expect(timedOut.status).toBe(202);
    expect(timedOut.body).toMatchObject({ id: instanceId });
    expect(timedOut.headers.get("location")).toBe((timedOut.body as CheckStatus).statusQueryGetUri);
    await http("POST", api(`instances/${instanceId}/terminate?reason=cleanup`));
    await waitForEnd(instanceId);
  });

  it("getStatus shows input, output and custom status, with any of its flags", async () => {
    const instanceId = `flags-${run}`;
    await start("returnInput", { answer: 42 }, instanceId);
    await waitForEnd(instanceId);
    for (const query of [
      "",
      "?showHistory=true",
      "?showHistory=true&showHistoryOutput=true",
      "?showInput=true",
    ]) {
      const response = await getStatus(instanceId, query);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        name: "returnInput",
        instanceId,
        runtimeStatus: "Completed",
        input: { answer: 42 },
        output: { answer: 42 },
        customStatus: null,
      });
      expect(Number.isNaN(Date.parse(response.body.createdTime))).toBe(false);
      expect(Number.isNaN(Date.parse(response.body.lastUpdatedTime))).toBe(false);
    }
    // What the client asked for reached the host: the same query shows the history there.
    const events = await history(instanceId);
    expect(events.at(-1)).toMatchObject({ EventType: "ExecutionCompleted", Result: { answer: 42 } });
  });

  it("getStatus of an unknown instance is the client's 404 error", async () => {
    const response = await getStatus(`missing-${run}`);
    expect(response.status).toBe(404);
    expect((response.body as unknown as { error: string }).error).toContain(
      "Durable Functions extension replied with HTTP 404 response",
    );
  });

  it("getStatusAll and getStatusBy follow the continuation token over every page; purgeInstanceHistoryBy purges them", async () => {
    const count = 120; // the host's pages hold 100
    const ids = Array.from({ length: count }, (_, index) => `page-${run}-${index}`);
    const from = new Date();
    await delay(20);
    for (let index = 0; index < count; index += 20) {
      await Promise.all(
        ids.slice(index, index + 20).map((id, offset) => start("returnInput", index + offset, id)),
      );
    }
    await delay(20);
    const to = new Date();
    const filter = `createdTimeFrom=${from.toISOString()}&createdTimeTo=${to.toISOString()}`;

    let completed: Status[] = [];
    await waitFor(
      async () => {
        const response = await http("GET", api(`instances?${filter}&runtimeStatus=Completed`));
        completed = response.body as Status[];
        return response.status === 200 && completed.length === count;
      },
      30_000,
      `${count} completed instances (last count: ${completed.length})`,
    );
    expect(completed.map((status) => status.instanceId).sort()).toEqual([...ids].sort());
    expect(completed.find((status) => status.instanceId === ids[7])).toMatchObject({ input: 7, output: 7 });

    // The client read two pages: the host's first answer for this filter names a next one.
    const firstPage = await http("GET", `${host.url}/runtime/webhooks/durabletask/instances/?${filter}`);
    expect((firstPage.body as unknown[]).length).toBe(100);
    expect(firstPage.headers.get("x-ms-continuation-token")).toBeTruthy();

    const running = await http("GET", api(`instances?${filter}&runtimeStatus=Running,Pending`));
    expect(running.body).toEqual([]);

    const all = await http("GET", api("instances"));
    expect(all.status).toBe(200);
    const allIds = new Set((all.body as Status[]).map((status) => status.instanceId));
    expect(ids.every((id) => allIds.has(id))).toBe(true);

    const purged = await http("DELETE", api(`instances?${filter}&runtimeStatus=Completed`));
    expect(purged).toMatchObject({ status: 200, body: { instancesDeleted: count } });
    // Nothing left: the host's 404 is the client's { instancesDeleted: 0 }.
    const again = await http("DELETE", api(`instances?${filter}&runtimeStatus=Completed`));
    expect(again).toMatchObject({ status: 200, body: { instancesDeleted: 0 } });
    expect((await http("GET", api(`instances?${filter}`))).body).toEqual([]);
  }, 60_000);

  it("raiseEvent delivers to a running instance, ignores an ended one and reports an unknown one", async () => {
    const instanceId = `event-${run}`;
    await start("waitForSignal", undefined, instanceId);
    await waitForStatus(instanceId, (status) => status.customStatus === "waiting for Proceed");
    expect((await http("POST", api(`instances/${instanceId}/raiseEvent/Proceed`), { go: 1 })).status).toBe(
      202,
    );
    const status = await waitForEnd(instanceId);
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { proceeded: true, data: { go: 1 } },
      customStatus: "proceeding",
    });
    // 410 Gone from the host: the official client resolves.
    expect((await http("POST", api(`instances/${instanceId}/raiseEvent/Proceed`), { go: 2 })).status).toBe(
      202,
    );
    const unknown = await http("POST", api(`instances/nobody-${run}/raiseEvent/Proceed`), 1);
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: `No instance with ID 'nobody-${run}' found.` },
    });
  });

  it("terminate ends a running instance with the reason as its output", async () => {
    const instanceId = `terminate-${run}`;
    await start("waitForSignal", undefined, instanceId);
    await waitForStatus(instanceId, (status) => status.runtimeStatus === "Running");
    const terminated = await http("POST", api(`instances/${instanceId}/terminate?reason=no longer needed`));
    expect(terminated.status).toBe(202);
    const status = await waitForEnd(instanceId);
    expect(status).toMatchObject({
      runtimeStatus: "Terminated",
      output: "no longer needed",
      customStatus: "waiting for Proceed",
    });
    expect(await history(instanceId)).toContainEqual(
      expect.objectContaining({ EventType: "ExecutionTerminated" }),
    );
    // Again: 410 from the host, which the client accepts.
    expect((await http("POST", api(`instances/${instanceId}/terminate?reason=again`))).status).toBe(202);
    const unknown = await http("POST", api(`instances/nobody-${run}/terminate`));
    expect(unknown).toMatchObject({
      status: 404,
      body: { error: `No instance with ID 'nobody-${run}' found.` },
    });
  });

  it("suspend holds an instance's events until resume", async () => {
    const instanceId = `suspend-${run}`;
    await start("waitForSignal", undefined, instanceId);
    await waitForStatus(instanceId, (status) => status.customStatus === "waiting for Proceed");
    expect((await http("POST", api(`instances/${instanceId}/suspend?reason=paused`))).status).toBe(202);
    await waitForStatus(instanceId, (status) => status.runtimeStatus === "Suspended");
    expect(
      (await http("POST", api(`instances/${instanceId}/raiseEvent/Proceed`), "while suspended")).status,
    ).toBe(202);
    await delay(750);
    expect((await getStatus(instanceId)).body).toMatchObject({ runtimeStatus: "Suspended", output: null });

    expect((await http("POST", api(`instances/${instanceId}/resume?reason=carry on`))).status).toBe(202);
    const status = await waitForEnd(instanceId);
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { proceeded: true, data: "while suspended" },
    });
    const events = await history(instanceId);
    expect(events).toContainEqual(
      expect.objectContaining({ EventType: "ExecutionSuspended", Reason: "paused" }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ EventType: "ExecutionResumed", Reason: "carry on" }),
    );
  });

  it("rewind runs a failed instance's failed activity again", async () => {
    const instanceId = `rewind-${run}`;
    await start("rewindable", { key: instanceId, failures: 1 }, instanceId);
    const failed = await waitForEnd(instanceId);
    expect(failed.runtimeStatus).toBe("Failed");
    expect(failed.output).toContain(`flakyWork '${instanceId}' failed on attempt 1`);

    expect((await http("POST", api(`instances/${instanceId}/rewind?reason=try again`))).status).toBe(202);
    // The rewind is a message to the instance: it stays Failed until that is processed.
    const status = await waitForStatus(instanceId, (current) => current.runtimeStatus === "Completed");
    expect(status).toMatchObject({
      runtimeStatus: "Completed",
      output: { key: instanceId, attempts: 2 },
    });

    // A completed instance cannot be rewound: the host's 410 is an error for this client call.
    const again = await http("POST", api(`instances/${instanceId}/rewind?reason=again`));
    expect(again.status).toBe(500);
    expect((again.body as { error: string }).error).toContain("unexpected status code: 410");
  });

  it("purgeInstanceHistory deletes one instance", async () => {
    const instanceId = `purge-${run}`;
    await start("returnInput", "bye", instanceId);
    await waitForEnd(instanceId);
    expect(await http("DELETE", api(`instances/${instanceId}`))).toMatchObject({
      status: 200,
      body: { instancesDeleted: 1 },
    });
    expect((await getStatus(instanceId)).status).toBe(404);
    expect(await http("DELETE", api(`instances/${instanceId}`))).toMatchObject({
      status: 200,
      body: { instancesDeleted: 0 },
    });
  });
});

describe("entities", () => {
  it("take signals and calls from an orchestration, in the order sent", async () => {
    const key = `orchestrated-${run}`;
    const { id } = await start("counterOrchestration", key);
    const status = await waitForEnd(id);
    expect(status).toMatchObject({ runtimeStatus: "Completed", output: { afterSignals: 15, afterCall: 16 } });
    expect((await readEntity("Counter", key)).body).toEqual({ entityExists: true, entityState: 16 });
    const events = await history(id);
    expect(countEvents(events, "EventSent")).toBe(5);
  });

  it("are signalled and read through the client", async () => {
    const key = `client-${run}`;
    expect(await readEntity("Counter", key)).toMatchObject({ status: 404, body: { entityExists: false } });
    expect((await http("POST", api(`entities/Counter/${key}/add`), 3)).status).toBe(202);
    expect((await http("POST", api(`entities/Counter/${key}/add`), 4)).status).toBe(202);
    await readEntityUntil("Counter", key, { entityExists: true, entityState: 7 });
    expect((await http("POST", api(`entities/Counter/${key}/reset`))).status).toBe(202);
    await readEntityUntil("Counter", key, { entityExists: true, entityState: 0 });
    expect((await http("POST", api(`entities/Counter/${key}/delete`))).status).toBe(202);
    await readEntityUntil("Counter", key, { entityExists: false });
  });

  it("are locked in critical sections, so concurrent transfers never overdraw", async () => {
    const from = `alice-${run}`;
    const to = `bob-${run}`;
    expect((await http("POST", api(`entities/BankAccount/${from}/deposit`), 100)).status).toBe(202);
    await readEntityUntil("BankAccount", from, { entityExists: true, entityState: 100 });

    const transfers = await Promise.all(
      Array.from({ length: 5 }, (_, index) =>
        start("transferFunds", { from, to, amount: 30 }, `transfer-${run}-${index}`),
      ),
    );
    const results = await Promise.all(transfers.map(({ id }) => waitForEnd(id)));
    for (const result of results) {
      expect(result.runtimeStatus).toBe("Completed");
      expect(result.output).toMatchObject({ locked: true, lockedKeys: [from, to] });
    }
    const outputs = results.map((result) => result.output as { transferred: boolean; balance: number });
    expect(outputs.filter((output) => output.transferred)).toHaveLength(3);
    expect(
      outputs
        .filter((output) => output.transferred)
        .map((output) => output.balance)
        .sort(),
    ).toEqual([10, 40, 70]);
    expect((await readEntity("BankAccount", from)).body).toEqual({ entityExists: true, entityState: 10 });
    expect((await readEntity("BankAccount", to)).body).toEqual({ entityExists: true, entityState: 90 });
  });
});

describe("durable HTTP", () => {
  it(
    "calls HTTP endpoints, polling a 202 with a Location header until it is done",
    async () => {
      const jobId = `job-${run}`;
      const { id } = await start("callHttpDemo", { baseUrl: loopbackUrl(), jobId });
      const status = await waitForEnd(id, TIMERS_WAIT_MS);
      expect(status).toMatchObject({
        runtimeStatus: "Completed",
        output: {
          echo: {
            statusCode: 200,
            content: { method: "POST", header: "durable", body: '{"hello":"world"}' },
          },
          job: { statusCode: 200, content: { jobId, status: "done", polls: 3 } },
          unpolled: { statusCode: 202, content: { jobId: `${jobId}-unpolled`, status: "running", polls: 1 } },
        },
      });
      const events = await history(id);
      // echo, three polls of the job, the unpolled call; Retry-After: 1 between the polls.
      expect(countEvents(events, "TaskCompleted", "BuiltIn::HttpActivity")).toBe(5);
      expect(countEvents(events, "TimerFired")).toBe(2);
    },
    TIMERS_TEST_MS,
  );
});
