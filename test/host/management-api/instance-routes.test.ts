/**
 * R3–R10 over real HTTP: listing with filters and paging, purging, raising events, and the
 * terminate/suspend/resume/rewind operations with each status code they answer.
 */
import { recoveredSteps } from "./support/management-functions";
import { JSON_HEADERS, useManagementHarness, type ApiResponse } from "./support/management-harness";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../../support/official-invoker")>("../../support/official-invoker")
    .interceptGeneric(),
);

const harness = useManagementHarness();

const json = JSON_HEADERS;

async function start(name: string, instanceId: string, input?: unknown): Promise<void> {
  const response = await harness().send("POST", `orchestrators/${name}/${instanceId}`, {
    body: input === undefined ? undefined : JSON.stringify(input),
    headers: json,
  });
  expect(response.status).toBe(202);
}

function ids(response: ApiResponse): string[] {
  return (response.json as { instanceId: string }[]).map((status) => status.instanceId).sort();
}

function message(response: ApiResponse): string {
  return (response.json as { Message: string }).Message;
}

describe("GET instances/ (R3)", () => {
  const listed = ["list-a", "list-b", "list-c", "list-d", "list-e"];

  beforeAll(async () => {
    for (const id of listed) await start("MgmtHello", id, id);
    for (const id of listed) await harness().completed(id);
    await start("MgmtApproval", "list-waiting");
    await harness().reaches("list-waiting", "Running");
  });

  it("pages with top and x-ms-continuation-token, and leaves the header off the last page", async () => {
    const pages: ApiResponse[] = [];
    let token: string | undefined;
    do {
      const response = await harness().send("GET", "instances/?instanceIdPrefix=list-&top=2", {
        headers: token ? { "x-ms-continuation-token": token } : {},
      });
      expect(response.status).toBe(200);
      pages.push(response);
      token = response.headers["x-ms-continuation-token"];
    } while (token && pages.length < 10);

    expect(pages.map((page) => (page.json as unknown[]).length)).toEqual([2, 2, 2]);
    expect(pages.map((page) => page.headers["x-ms-continuation-token"] !== undefined)).toEqual([
      true,
      true,
      false,
    ]);
    expect(pages.flatMap(ids).sort()).toEqual([...listed, "list-waiting"].sort());
  });

  it("answers status objects without history", async () => {
    const response = await harness().send("GET", "instances?instanceIdPrefix=list-a&showHistory=true");

    expect(response.json).toEqual([
      expect.objectContaining({ instanceId: "list-a", input: "list-a", output: "Hello list-a!" }),
    ]);
    expect((response.json as object[])[0]).not.toHaveProperty("historyEvents");
  });

  it("leaves inputs out with showInput=false", async () => {
    const response = await harness().send("GET", "instances/?instanceIdPrefix=list-a&showInput=false");

    expect(response.json).toEqual([expect.objectContaining({ input: null, output: "Hello list-a!" })]);
  });

  it("filters by runtimeStatus, comma-separated or repeated", async () => {
    const comma = await harness().send(
      "GET",
      "instances/?instanceIdPrefix=list-&runtimeStatus=Running,Failed",
    );
    const repeated = await harness().send(
      "GET",
      "instances/?instanceIdPrefix=list-&runtimeStatus=Running&RUNTIMESTATUS=Pending",
    );
    const numeric = await harness().send("GET", "instances/?instanceIdPrefix=list-&runtimeStatus=0");

    expect(ids(comma)).toEqual(["list-waiting"]);
    expect(ids(repeated)).toEqual(["list-waiting"]);
    expect(ids(numeric)).toEqual(["list-waiting"]);
  });

  it("drops runtimeStatus items that are not status names, as the extension does", async () => {
    const response = await harness().send(
      "GET",
      "instances/?instanceIdPrefix=list-&runtimeStatus=running,Nope",
    );

    expect(ids(response)).toHaveLength(listed.length + 1);
  });

  it("filters by createdTimeFrom and createdTimeTo", async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const past = new Date(Date.now() - 3_600_000).toISOString();
    const none = await harness().send("GET", `instances/?instanceIdPrefix=list-&createdTimeFrom=${future}`);
    const all = await harness().send(
      "GET",
      `instances/?instanceIdPrefix=list-&createdTimeFrom=${past}&createdTimeTo=${future}`,
    );
    const before = await harness().send("GET", `instances/?instanceIdPrefix=list-&createdTimeTo=${past}`);

    expect(none.json).toEqual([]);
    expect(ids(all)).toHaveLength(listed.length + 1);
    expect(before.json).toEqual([]);
  });

  it.each([
    ["a date that does not parse", "createdTimeFrom=yesterday", "'createdTimeFrom'"],
    ["a page size of 0", "top=0", "'top'"],
    ["a page size that is not a number", "top=ten", "'top'"],
    ["a page size over 1000", "top=2147483647", "'top'"],
    ["a date in year 0", "createdTimeFrom=0000-01-01T00:00:00Z", "'createdTimeFrom'"],
    ["a date after year 9999", "createdTimeTo=%2B275760-09-13T00:00:00Z", "'createdTimeTo'"],
    ["a prefix longer than any instance id", `instanceIdPrefix=${"p".repeat(257)}`, "'instanceIdPrefix'"],
  ])("refuses %s with a 400 naming the parameter", async (_label, query, name) => {
    const response = await harness().send("GET", `instances/?${query}`);

    expect(response.status).toBe(400);
    expect(message(response)).toContain(name);
  });

  it("refuses a continuation token it did not issue with a 400", async () => {
    const response = await harness().send("GET", "instances/", {
      headers: { "x-ms-continuation-token": "not-a-token" },
    });

    expect(response.status).toBe(400);
    expect(response.json).toMatchObject({ ExceptionMessage: expect.stringContaining("continuation token") });
  });
});

describe("DELETE instances/{instanceId} (R4)", () => {
  it("purges an instance: 200 with the count, then 404", async () => {
    await start("MgmtHello", "purge-one", "x");
    await harness().completed("purge-one");

    const first = await harness().send("DELETE", "instances/purge-one");
    const second = await harness().send("DELETE", "instances/purge-one");

    expect(first.status).toBe(200);
    expect(first.json).toEqual({ instancesDeleted: 1 });
    expect(second.status).toBe(404);
    expect(second.text).toBe("");
    expect((await harness().send("GET", "instances/purge-one")).status).toBe(404);
  });
});

describe("DELETE instances/ (R5)", () => {
  it("needs createdTimeFrom, and says so in a JSON string body", async () => {
    const response = await harness().send("DELETE", "instances/?runtimeStatus=Completed");

    expect(response.status).toBe(400);
    expect(response.text).toBe(JSON.stringify("Please provide value for 'createdTimeFrom' parameter."));
  });

  it("purges the ended instances matching the filter, and answers 404 once none match", async () => {
    const from = new Date(Date.now() - 1000).toISOString();
    await start("MgmtHello", "purge-by-done", "x");
    await start("MgmtFailing", "purge-by-failed", "fail-purge");
    await start("MgmtApproval", "purge-by-live");
    await harness().completed("purge-by-done");
    await harness().completed("purge-by-failed");
    const to = new Date(Date.now() + 1000).toISOString();

    const completed = await harness().send(
      "DELETE",
      `instances/?createdTimeFrom=${from}&createdTimeTo=${to}&runtimeStatus=Completed`,
    );
    expect(completed.status).toBe(200);
    expect((completed.json as { instancesDeleted: number }).instancesDeleted).toBeGreaterThanOrEqual(1);
    expect(await harness().client.getInstance("purge-by-done")).toBeUndefined();
    expect(await harness().client.getInstance("purge-by-failed")).toBeDefined();

    const rest = await harness().send("DELETE", `instances/?createdTimeFrom=${from}`);
    expect(rest.status).toBe(200);
    expect(await harness().client.getInstance("purge-by-failed")).toBeUndefined();
    expect(await harness().client.getInstance("purge-by-live")).toBeDefined();

    const again = await harness().send(
      "DELETE",
      `instances/?createdTimeFrom=${from}&runtimeStatus=Completed`,
    );
    expect(again.status).toBe(404);
  });

  it("purges nothing when only live statuses are asked for", async () => {
    const from = new Date(Date.now() - 60_000).toISOString();
    await start("MgmtApproval", "purge-by-running");
    await harness().reaches("purge-by-running", "Running");

    const response = await harness().send(
      "DELETE",
      `instances/?createdTimeFrom=${from}&runtimeStatus=Running`,
    );

    expect(response.status).toBe(404);
    expect(await harness().client.getInstance("purge-by-running")).toBeDefined();
  });
});

describe("POST instances/{instanceId}/raiseEvent/{eventName} (R6)", () => {
  it("delivers the JSON body as the event: 202 with no body", async () => {
    await start("MgmtApproval", "event-ok");
    const response = await harness().send("POST", "instances/event-ok/raiseEvent/Approval", {
      body: JSON.stringify({ by: "ann" }),
      headers: { "Content-Type": "application/json; charset=utf-8" },
    });

    expect(response.status).toBe(202);
    expect(response.text).toBe("");
    expect((await harness().completed("event-ok")).output).toBe('{"approval":{"by":"ann"}}');
  });

  it("delivers an empty body as null whatever the content type", async () => {
    await start("MgmtApproval", "event-empty");
    const response = await harness().send("POST", "instances/event-empty/raiseEvent/Approval", {
      headers: { "Content-Type": "text/plain" },
    });

    expect(response.status).toBe(202);
    const raised = (await harness().client.getHistory("event-empty")).find(
      (event) => "Name" in event && event.Name === "Approval",
    );
    expect(raised).toMatchObject({ Input: null });
    // The SDK hands a null event payload to the orchestrator as undefined.
    expect((await harness().completed("event-empty")).output).toBe("{}");
  });

  it("matches the event name case-sensitively", async () => {
    await start("MgmtApproval", "event-case");
    await harness().send("POST", "instances/event-case/raiseEvent/approval", { body: "1", headers: json });
    await harness().send("POST", "instances/event-case/raiseEvent/Approval", { body: "2", headers: json });

    expect((await harness().completed("event-case")).output).toBe('{"approval":2}');
  });

  it("answers 404 for an unknown instance", async () => {
    const response = await harness().send("POST", "instances/nobody-home/raiseEvent/Approval", {
      body: "1",
      headers: json,
    });

    expect(response.status).toBe(404);
  });

  it("answers 410 Gone for an ended instance, before looking at the body", async () => {
    await start("MgmtHello", "event-ended", "x");
    await harness().completed("event-ended");
    const response = await harness().send("POST", "instances/event-ended/raiseEvent/Approval", {
      body: "not json",
      headers: { "Content-Type": "text/plain" },
    });

    expect(response.status).toBe(410);
    expect(message(response)).toContain("Completed");
  });

  it("refuses a body that is not application/json", async () => {
    await start("MgmtApproval", "event-text");
    const response = await harness().send("POST", "instances/event-text/raiseEvent/Approval", {
      body: "hello",
      headers: { "Content-Type": "text/plain" },
    });

    expect(response.status).toBe(400);
    expect(response.json).toEqual({ Message: "Only application/json request content is supported" });
    expect((await harness().client.getInstance("event-text"))?.runtimeStatus).not.toBe("Completed");
  });

  it("refuses malformed JSON", async () => {
    await start("MgmtApproval", "event-bad-json");
    const response = await harness().send("POST", "instances/event-bad-json/raiseEvent/Approval", {
      body: "{",
      headers: json,
    });

    expect(response.status).toBe(400);
    expect(message(response)).toBe("Invalid JSON content");
  });
});

describe("POST instances/{instanceId}/terminate|suspend|resume (R7–R9)", () => {
  it("suspends, resumes and terminates with 202, and refuses what the status does not allow", async () => {
    await start("MgmtApproval", "ops");
    await harness().reaches("ops", "Running");

    expect((await harness().send("POST", "instances/ops/suspend?reason=pause")).status).toBe(202);
    await harness().reaches("ops", "Suspended");
    const again = await harness().send("POST", "instances/ops/suspend");
    // The extension answers 500 (an InvalidOperationException); it is the caller's mistake.
    expect(again.status).toBe(409);
    expect(again.json).toEqual({ Message: "Cannot suspend instance 'ops' because it is Suspended." });

    expect((await harness().send("POST", "instances/ops/Resume?reason=go")).status).toBe(202);
    await harness().reaches("ops", "Running");
    expect((await harness().send("POST", "instances/ops/resume")).status).toBe(409);

    const terminated = await harness().send("POST", "instances/ops/terminate?reason=no%20longer%20needed");
    expect(terminated.status).toBe(202);
    expect(terminated.text).toBe("");
    await harness().completed("ops");
    const status = await harness().send("GET", "instances/ops");
    expect(status.json).toMatchObject({ runtimeStatus: "Terminated", output: "no longer needed" });

    for (const operation of ["terminate", "suspend", "resume"]) {
      expect((await harness().send("POST", `instances/ops/${operation}`)).status).toBe(410);
    }
  });

  it("records the reasons in the history", async () => {
    await start("MgmtApproval", "ops-reasons");
    await harness().reaches("ops-reasons", "Running");
    await harness().send("POST", "instances/ops-reasons/suspend?reason=hold%20on");
    await harness().reaches("ops-reasons", "Suspended");
    await harness().send("POST", "instances/ops-reasons/resume?reason=carry+on");
    await harness().reaches("ops-reasons", "Running");

    const status = await harness().send("GET", "instances/ops-reasons?showHistory=true");
    const events = (status.json as { historyEvents: Record<string, unknown>[] }).historyEvents;
    expect(events.filter((event) => "Reason" in event)).toEqual([
      expect.objectContaining({ EventType: "ExecutionSuspended", Reason: "hold on" }),
      expect.objectContaining({ EventType: "ExecutionResumed", Reason: "carry on" }),
    ]);
  });

  it.each(["terminate", "suspend", "resume", "rewind"])(
    "answers 404 to %s for an unknown instance",
    async (op) => {
      const response = await harness().send("POST", `instances/nobody-home/${op}`);

      expect(response.status).toBe(404);
      expect(response.text).toBe("");
    },
  );
});

describe("POST instances/{instanceId}/rewind (R10)", () => {
  it("rewinds a failed instance, which then completes", async () => {
    await start("MgmtFailing", "rewind-me", "fail-rewind");
    expect((await harness().completed("rewind-me")).runtimeStatus).toBe("Failed");
    recoveredSteps.add("fail-rewind");

    const response = await harness().send("POST", "instances/rewind-me/rewind?reason=fixed");

    expect(response.status).toBe(202);
    await harness().reaches("rewind-me", "Completed");
    expect((await harness().client.getInstance("rewind-me"))?.output).toBe('"fail-rewind done"');
  });

  it("answers 412 with a message for a live instance, and 410 for a completed one", async () => {
    await start("MgmtApproval", "rewind-live");
    await harness().reaches("rewind-live", "Running");
    await start("MgmtHello", "rewind-done", "x");
    await harness().completed("rewind-done");

    const live = await harness().send("POST", "instances/rewind-live/rewind");
    const done = await harness().send("POST", "instances/rewind-done/rewind");

    expect(live.status).toBe(412);
    expect(live.json).toBe("Cannot rewind instance 'rewind-live' because it is Running.");
    expect(done.status).toBe(410);
  });
});
