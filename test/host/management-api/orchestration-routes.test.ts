/**
 * R1, R2, R11 and the wait mode over real HTTP: starting, reading and restarting instances, and
 * every way a start can be refused without leaving an instance behind.
 */
import { HistoryEventType } from "../../../src/protocol/history";
import { JSON_HEADERS, useManagementHarness, type ApiResponse } from "./support/management-harness";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../../support/official-invoker")>("../../support/official-invoker")
    .interceptGeneric(),
);

const harness = useManagementHarness();

const json = JSON_HEADERS;

async function start(name: string, input?: unknown, instanceId?: string): Promise<ApiResponse> {
  const path = instanceId === undefined ? `orchestrators/${name}` : `orchestrators/${name}/${instanceId}`;
  return harness().send("POST", path, {
    body: input === undefined ? undefined : JSON.stringify(input),
    headers: json,
  });
}

async function instanceCount(): Promise<number> {
  return (await harness().client.query({})).instances.length;
}

describe("POST orchestrators/{functionName}/{instanceId?} (R1)", () => {
  it("starts the orchestration and answers 202 with the check-status payload", async () => {
    const response = await start("MgmtHello", "Tokyo");

    expect(response.status).toBe(202);
    const body = response.json as Record<string, string>;
    expect(body.id).toMatch(/^[0-9a-f]{32}$/);
    const instance = `${harness().webhook}/instances/${body.id}`;
    const suffix = "taskHub=MgmtHub&connection=Storage";
    expect(Object.entries(body)).toEqual([
      ["id", body.id],
      ["statusQueryGetUri", `${instance}?${suffix}`],
      ["sendEventPostUri", `${instance}/raiseEvent/{eventName}?${suffix}`],
      ["terminatePostUri", `${instance}/terminate?reason={text}&${suffix}`],
      ["purgeHistoryDeleteUri", `${instance}?${suffix}`],
      ["restartPostUri", `${instance}/restart?${suffix}`],
      ["suspendPostUri", `${instance}/suspend?reason={text}&${suffix}`],
      ["resumePostUri", `${instance}/resume?reason={text}&${suffix}`],
    ]);
    expect(response.headers.location).toBe(body.statusQueryGetUri);
    expect(response.headers["retry-after"]).toBe("10");
    expect(response.headers["content-type"]).toBe("application/json; charset=utf-8");
    expect((await harness().completed(body.id)).output).toBe('"Hello Tokyo!"');
  });

  it("uses the instance id from the path, URL-encoded in the payload", async () => {
    const response = await start("MgmtHello", "Oslo", "order%2042");

    expect(response.json).toMatchObject({
      id: "order 42",
      statusQueryGetUri: `${harness().webhook}/instances/order%2042?taskHub=MgmtHub&connection=Storage`,
    });
    expect((await harness().completed("order 42")).output).toBe('"Hello Oslo!"');
  });

  it("starts with a null input when the body is empty", async () => {
    const response = await harness().send("POST", "orchestrators/MgmtEcho/echo-empty");

    expect(response.status).toBe(202);
    const state = await harness().completed("echo-empty");
    expect(state.input).toBeNull();
    expect(state.output).toBe("null");
  });

  it("keeps the JSON input as sent, large numbers included", async () => {
    await harness().send("POST", "orchestrators/MgmtEcho/echo-big", {
      body: ' {"n": 12345678901234567890} ',
      headers: json,
    });

    expect((await harness().completed("echo-big")).input).toBe('{"n": 12345678901234567890}');
  });

  it("passes the version on", async () => {
    await harness().send("POST", "orchestrators/MgmtEcho/echo-version?version=2.0");

    expect((await harness().completed("echo-version")).version).toBe("2.0");
  });

  it("refuses an unknown orchestrator with a 400 that names it, and starts nothing", async () => {
    const before = await instanceCount();
    const response = await start("NoSuchOrchestrator", "x", "unknown-1");

    expect(response.status).toBe(400);
    expect((response.json as { Message: string }).Message).toContain("'NoSuchOrchestrator'");
    expect(await harness().client.getInstance("unknown-1")).toBeUndefined();
    expect(await instanceCount()).toBe(before);
  });

  it("refuses an activity name as an orchestrator", async () => {
    const response = await start("MgmtSayHello", "x");

    expect(response.status).toBe(400);
    expect((response.json as { Message: string }).Message).toContain("'MgmtSayHello'");
  });

  it.each([
    ["a backslash", "bad%5Cid", "not allowed"],
    ["a control character", "bad%01id", "not allowed"],
    ["the entity prefix", "%40counter", "reserved for entities"],
    ["a trailing space", "padded%20", "whitespace"],
  ])("refuses an instance id with %s with a 400 and starts nothing", async (_label, id, message) => {
    const before = await instanceCount();
    const response = await start("MgmtHello", "x", id);

    expect(response.status).toBe(400);
    expect((response.json as { Message: string }).Message).toContain(message);
    expect(await instanceCount()).toBe(before);
  });

  it("refuses malformed JSON with 400 'Invalid JSON content' and starts nothing", async () => {
    const response = await harness().send("POST", "orchestrators/MgmtEcho/bad-json", {
      body: "{ nope",
      headers: json,
    });

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ Message: "Invalid JSON content", ExceptionType: "SyntaxError" });
    expect(await harness().client.getInstance("bad-json")).toBeUndefined();
  });

  it("refuses a body that is not UTF-8 as invalid JSON", async () => {
    const response = await fetch(`${harness().webhook}/orchestrators/MgmtEcho/bad-utf8`, {
      method: "POST",
      body: Buffer.from([0x22, 0xff, 0xfe, 0x22]),
    });

    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ Message: "Invalid JSON content" });
  });

  it("answers 409 with the reason when an instance with that id is still running", async () => {
    await start("MgmtApproval", undefined, "busy");
    const response = await start("MgmtApproval", undefined, "busy");

    // The extension answers 500 (an InvalidOperationException); it is the caller's mistake.
    expect(response.status).toBe(409);
    expect(response.json).toEqual({
      Message:
        "An instance with ID 'busy' already exists and is Running. " +
        "Wait until it has ended, or use another instance id.",
    });
  });

  it("answers 404 to any other method", async () => {
    expect((await harness().send("GET", "orchestrators/MgmtHello")).status).toBe(404);
    expect((await harness().send("PUT", "orchestrators/MgmtHello/x")).status).toBe(404);
  });

  describe("with timeout and pollingInterval", () => {
    it("answers 200 with the output itself when the instance completes in time", async () => {
      const response = await harness().send("POST", "orchestrators/MgmtHello?timeout=10&pollingInterval=1", {
        body: '"Lima"',
        headers: json,
      });

      expect(response.status).toBe(200);
      expect(response.json).toBe("Hello Lima!");
    });

    it("answers 200 with the status object when the instance fails", async () => {
      const response = await harness().send(
        "POST",
        "orchestrators/MgmtFailing/wait-fails?timeout=10&pollingInterval=1",
        { body: '"fail-wait"', headers: json },
      );

      expect(response.status).toBe(200);
      expect(response.json).toMatchObject({ instanceId: "wait-fails", runtimeStatus: "Failed" });
    });

    it("answers 202 with the check-status payload when the timeout passes first", async () => {
      const response = await harness().send(
        "POST",
        "orchestrators/MgmtApproval/wait-times-out?TIMEOUT=0.2&PollingInterval=0.1",
      );

      expect(response.status).toBe(202);
      expect(response.json).toMatchObject({ id: "wait-times-out" });
      expect(response.headers.location).toContain("/instances/wait-times-out?");
      expect(response.headers["retry-after"]).toBe("10");
    });

    it.each([
      ["timeout=1e308&pollingInterval=1", "'timeout'"],
      ["timeout=231&pollingInterval=1", "'timeout'"],
      ["timeout=Infinity&pollingInterval=1", "'timeout'"],
      ["timeout=0x10&pollingInterval=1", "'timeout'"],
      ["timeout=-1&pollingInterval=1", "'timeout'"],
      ["timeout=10&pollingInterval=NaN", "'pollingInterval'"],
      ["timeout=10&pollingInterval=1e308", "'pollingInterval'"],
    ])("refuses %s at once with a 400 naming the limit, and starts nothing", async (query, name) => {
      const before = await instanceCount();
      const response = await harness().send("POST", `orchestrators/MgmtApproval?${query}`);

      expect(response.status).toBe(400);
      expect(response.json).toMatchObject({
        Message: expect.stringContaining(`${name} must be a number of seconds from 0 to 230`),
      });
      expect(await instanceCount()).toBe(before);
    });

    it("waits only when both are given", async () => {
      const response = await harness().send("POST", "orchestrators/MgmtHello/wait-half?timeout=10", {
        body: '"x"',
        headers: json,
      });

      expect(response.status).toBe(202);
    });

    it.each([
      ["an interval longer than the timeout", "timeout=1&pollingInterval=2", "should be bigger"],
      ["a timeout that is not a number", "timeout=soon&pollingInterval=1", "'timeout'"],
      ["a negative interval", "timeout=1&pollingInterval=-1", "'pollingInterval'"],
    ])("refuses %s with a 400 before starting", async (_label, query, message) => {
      const response = await harness().send("POST", `orchestrators/MgmtHello/wait-bad?${query}`);

      expect(response.status).toBe(400);
      expect((response.json as { Message: string }).Message).toContain(message);
      expect(await harness().client.getInstance("wait-bad")).toBeUndefined();
    });
  });
});

describe("GET instances/{instanceId} (R2)", () => {
  const helloId = "status-hello";

  beforeAll(async () => {
    await start("MgmtHello", "Rome", helloId);
    await harness().completed(helloId);
  });

  it("answers 200 with the status object of an ended instance", async () => {
    const response = await harness().send("GET", `instances/${helloId}`);

    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      name: "MgmtHello",
      instanceId: helloId,
      runtimeStatus: "Completed",
      input: "Rome",
      customStatus: null,
      output: "Hello Rome!",
      createdTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      lastUpdatedTime: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
    });
    expect(response.headers.location).toBeUndefined();
    expect(response.headers["x-ms-continuation-token"]).toBeUndefined();
  });

  it("answers 202 with Location (the request URL) and Retry-After 5 while the instance runs", async () => {
    await start("MgmtApproval", undefined, "status-running");
    await harness().reaches("status-running", "Running");
    const response = await harness().send("GET", "instances/status-running?showInput=false");

    expect(response.status).toBe(202);
    expect(response.headers.location).toBe(`${harness().webhook}/instances/status-running?showInput=false`);
    expect(response.headers["retry-after"]).toBe("5");
    expect(response.json).toMatchObject({ runtimeStatus: "Running", customStatus: { stage: "waiting" } });
  });

  it("answers 404 with no body for an unknown instance", async () => {
    const response = await harness().send("GET", "instances/nobody-home");

    expect(response.status).toBe(404);
    expect(response.text).toBe("");
    expect(response.headers["content-type"]).toBeUndefined();
  });

  it("leaves the input out with showInput=false", async () => {
    const response = await harness().send("GET", `instances/${helloId}?showInput=false`);

    expect(response.json).toMatchObject({ input: null, output: "Hello Rome!" });
  });

  it("adds the transformed history with showHistory=true (keys and values ignore case)", async () => {
    const response = await harness().send("GET", `instances/${helloId}?SHOWHISTORY=TRUE`);
    const events = (response.json as { historyEvents: Record<string, unknown>[] }).historyEvents;

    expect(events.map((event) => event.EventType)).toEqual([
      "ExecutionStarted",
      "TaskCompleted",
      "ExecutionCompleted",
    ]);
    expect(events[0]).toMatchObject({ FunctionName: "MgmtHello", Input: '"Rome"' });
    expect(events[0]).not.toHaveProperty("OrchestrationInstance");
    const scheduled = (await harness().client.getHistory(helloId)).find(
      (event) => event.EventType === HistoryEventType.TaskScheduled,
    );
    expect(events[1]).toMatchObject({
      FunctionName: "MgmtSayHello",
      Input: scheduled && "Input" in scheduled ? scheduled.Input : "missing",
    });
    expect(events[1]).not.toHaveProperty("Result");
    expect(events[1]).not.toHaveProperty("EventId");
    expect(events[1]).not.toHaveProperty("TaskScheduledId");
    expect(events[2]).toMatchObject({ OrchestrationStatus: "Completed" });
    expect(events[2]).not.toHaveProperty("Result");
  });

  it("keeps results, parsed, with showHistoryOutput=true", async () => {
    const response = await harness().send(
      "GET",
      `instances/${helloId}?showHistory=true&showHistoryOutput=true`,
    );
    const events = (response.json as { historyEvents: Record<string, unknown>[] }).historyEvents;

    expect(events[1].Result).toBe("Hello Rome!");
    expect(events[2].Result).toBe("Hello Rome!");
  });

  it("answers 200 for a failed instance, or 500 with returnInternalServerErrorOnFailure=true", async () => {
    await start("MgmtFailing", "fail-status", "status-failed");
    const state = await harness().completed("status-failed");
    expect(state.runtimeStatus).toBe("Failed");

    const plain = await harness().send("GET", "instances/status-failed");
    const strict = await harness().send(
      "GET",
      "instances/status-failed?returnInternalServerErrorOnFailure=true",
    );

    expect(plain.status).toBe(200);
    expect(strict.status).toBe(500);
    expect(strict.json).toMatchObject({
      runtimeStatus: "Failed",
      output: expect.stringContaining("Orchestrator function 'MgmtFailing' failed"),
    });
  });

  it("refuses a flag that is not a boolean", async () => {
    const response = await harness().send("GET", `instances/${helloId}?showHistory=yes`);

    expect(response.status).toBe(400);
    expect((response.json as { Message: string }).Message).toContain("'showHistory'");
  });

  it("refuses an invalid instance id with a 400", async () => {
    const response = await harness().send("GET", "instances/%40entity%40key");

    expect(response.status).toBe(400);
    expect((response.json as { Message: string }).Message).toContain("reserved for entities");
  });
});

describe("POST instances/{instanceId}/restart (R11)", () => {
  beforeAll(async () => {
    await start("MgmtHello", "Paris", "restart-me");
    await harness().completed("restart-me");
  });

  it("starts the same orchestration and input under a new id by default", async () => {
    const response = await harness().send("POST", "instances/restart-me/restart");

    expect(response.status).toBe(202);
    const { id } = response.json as { id: string };
    expect(id).not.toBe("restart-me");
    expect(response.headers.location).toContain(`/instances/${id}?`);
    const state = await harness().completed(id);
    expect(state).toMatchObject({ name: "MgmtHello", input: '"Paris"', output: '"Hello Paris!"' });
  });

  it("reuses the id with restartWithNewInstanceId=false", async () => {
    const before = await harness().client.getInstance("restart-me");
    const response = await harness().send(
      "POST",
      "instances/restart-me/RESTART?restartWithNewInstanceId=False",
    );

    expect(response.status).toBe(202);
    expect(response.json).toMatchObject({ id: "restart-me" });
    const state = await harness().completed("restart-me");
    expect(state.executionId).not.toBe(before?.executionId);
    expect(state.output).toBe('"Hello Paris!"');
  });

  it("waits like a start with timeout and pollingInterval", async () => {
    const response = await harness().send(
      "POST",
      "instances/restart-me/restart?timeout=10&pollingInterval=0.5",
    );

    expect(response.status).toBe(200);
    expect(response.json).toBe("Hello Paris!");
  });

  it("answers 409 at once for a live instance restarted onto its own id, and leaves it running", async () => {
    await start("MgmtApproval", undefined, "restart-live");
    const before = await harness().reaches("restart-live", "Running");
    const started = Date.now();
    const response = await harness().send(
      "POST",
      "instances/restart-live/restart?restartWithNewInstanceId=false",
    );

    expect(Date.now() - started).toBeLessThan(2000);
    expect(response.status).toBe(409);
    expect(response.json).toEqual({
      Message:
        "Cannot restart instance 'restart-live' because it is Running. " +
        "Wait until it has ended, or restart it with a new instance id.",
    });
    const after = await harness().client.getInstance("restart-live");
    expect(after).toMatchObject({ runtimeStatus: "Running", executionId: before.executionId });
  });

  it("answers 400 for an unknown instance", async () => {
    const response = await harness().send("POST", "instances/nobody-home/restart");

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({
      Message: "InstanceId does not match a valid orchestration instance.",
    });
  });

  it("refuses a bad restartWithNewInstanceId before restarting", async () => {
    const before = await instanceCount();
    const response = await harness().send(
      "POST",
      "instances/restart-me/restart?restartWithNewInstanceId=maybe",
    );

    expect(response.status).toBe(400);
    expect(await instanceCount()).toBe(before);
  });
});
