/**
 * DurableClient against a recording HTTP server: every method sends what durable-functions 3.5.0
 * sends (method, URL, body, content type, continuation token) and ends the same way for each
 * status code of protocol §2.2. Both packages run against the same server and answers.
 */
import { HttpRequest } from "@azure/functions";
import { EntityId, OrchestrationRuntimeStatus } from "../../../../src";
import { runBoth, type ClientCall, type Run } from "../../../support/client-comparison";
import { durableClientBinding, statusBody } from "../../../support/durable-client-binding";
import { RecordingServer, type CannedResponse } from "../../../support/recording-http-server";

let server: RecordingServer;
const savedHostName = process.env.WEBSITE_HOSTNAME;

beforeAll(async () => {
  server = await RecordingServer.start();
  // A deployed app: webhook URLs are used as the host sent them.
  process.env.WEBSITE_HOSTNAME = "myapp.azurewebsites.net";
});

afterAll(async () => {
  await server.close();
  if (savedHostName === undefined) {
    delete process.env.WEBSITE_HOSTNAME;
  } else {
    process.env.WEBSITE_HOSTNAME = savedHostName;
  }
});

type Responses = CannedResponse | CannedResponse[];

async function expectSameBehaviour(call: ClientCall, responses: Responses, legacy = false): Promise<Run> {
  const binding = durableClientBinding(server.origin, { legacy });
  const { official, ours } = await runBoth(server, binding, call, responses);
  expect(ours).toEqual(official);
  return ours;
}

const accepted: CannedResponse = { status: 202 };
const gone: CannedResponse = { status: 410, body: { Message: "gone" } };
const notFound: CannedResponse = { status: 404 };
const serverError: CannedResponse = {
  status: 500,
  body: { Message: "Something went wrong while processing your request" },
};
const status = (runtimeStatus: string, code = 200): CannedResponse => ({
  status: code,
  body: statusBody(runtimeStatus),
});

const counter = new EntityId("Counter", "key one");
const from = new Date("2024-01-01T00:00:00Z");
const to = new Date("2024-02-01T12:30:00Z");

/** [label, call, responses] rows, run against both the rpcBaseUrl and the legacy URL templates. */
const cases: [string, ClientCall, Responses][] = [
  // startNew
  ["startNew without options", (c) => c.startNew("Hello"), { status: 202, body: { id: "new-id" } }],
  [
    "startNew with an object input",
    (c) => c.startNew("Hello", { input: { city: "Tokyo" } }),
    { status: 202, body: { id: "i" } },
  ],
  [
    "startNew with a string input",
    (c) => c.startNew("Hello", { input: "Tokyo" }),
    { status: 202, body: { id: "i" } },
  ],
  [
    "startNew with null input",
    (c) => c.startNew("Hello", { input: null }),
    { status: 202, body: { id: "i" } },
  ],
  [
    "startNew with an instance id",
    (c) => c.startNew("Hello", { instanceId: "my-id" }),
    { status: 202, body: { id: "my-id" } },
  ],
  [
    "startNew with a version",
    (c) => c.startNew("Hello", { version: "1.0 beta&x" }),
    { status: 200, body: { id: "v" } },
  ],
  ["startNew with a 500", (c) => c.startNew("Hello"), serverError],
  ["startNew with an empty 202", (c) => c.startNew("Hello"), accepted],
  ["startNew with a 400 error body", (c) => c.startNew("Missing"), { status: 400, body: { Message: "bad" } }],
  ["startNew without a name", (c) => c.startNew(""), accepted],
  // getStatus
  ["getStatus of a completed instance", (c) => c.getStatus("abc"), status("Completed")],
  ["getStatus of a running instance (202)", (c) => c.getStatus("abc"), status("Running", 202)],
  ["getStatus of a failed instance (400)", (c) => c.getStatus("abc"), status("Failed", 400)],
  [
    "getStatus with every flag",
    (c) => c.getStatus("abc", { showHistory: true, showHistoryOutput: true, showInput: true }),
    status("Completed"),
  ],
  ["getStatus with showInput false", (c) => c.getStatus("abc", { showInput: false }), status("Completed")],
  ["getStatus not found", (c) => c.getStatus("missing"), notFound],
  [
    "getStatus not found with a body",
    (c) => c.getStatus("missing"),
    { status: 404, body: { Message: "nope" } },
  ],
  ["getStatus with an empty 200", (c) => c.getStatus("abc"), { status: 200 }],
  ["getStatus with an invalid status", (c) => c.getStatus("abc"), { status: 200, body: { name: "x" } }],
  ["getStatus with a 500", (c) => c.getStatus("abc"), serverError],
  ["getStatus of an id with a space", (c) => c.getStatus("id with space"), status("Completed")],
  // lists
  [
    "getStatusAll",
    (c) => c.getStatusAll(),
    { status: 200, body: [statusBody("Running"), statusBody("Completed")] },
  ],
  ["getStatusAll with a 500", (c) => c.getStatusAll(), serverError],
  [
    "getStatusAll follows continuation tokens",
    (c) => c.getStatusAll(),
    [
      { status: 200, headers: { "x-ms-continuation-token": "page-2" }, body: [statusBody("Running")] },
      { status: 200, headers: { "x-ms-continuation-token": "page-3" }, body: [statusBody("Failed")] },
      { status: 200, headers: { "x-ms-continuation-token": "" }, body: [statusBody("Completed")] },
    ],
  ],
  [
    "getStatusBy with every filter",
    (c) =>
      c.getStatusBy({
        createdTimeFrom: from,
        createdTimeTo: to,
        runtimeStatus: [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending],
      }),
    { status: 200, body: [] },
  ],
  [
    "getStatusBy with an empty status list",
    (c) => c.getStatusBy({ runtimeStatus: [] }),
    { status: 200, body: [] },
  ],
  ["getStatusBy with a 400", (c) => c.getStatusBy({ createdTimeTo: to }), { status: 400, body: "bad" }],
  // purge
  [
    "purgeInstanceHistory",
    (c) => c.purgeInstanceHistory("abc"),
    { status: 200, body: { instancesDeleted: 1 } },
  ],
  ["purgeInstanceHistory not found", (c) => c.purgeInstanceHistory("abc"), notFound],
  ["purgeInstanceHistory with a 500", (c) => c.purgeInstanceHistory("abc"), serverError],
  [
    "purgeInstanceHistoryBy",
    (c) =>
      c.purgeInstanceHistoryBy({
        createdTimeFrom: from,
        createdTimeTo: to,
        runtimeStatus: [OrchestrationRuntimeStatus.Completed, OrchestrationRuntimeStatus.Failed],
      }),
    { status: 200, body: { instancesDeleted: 3 } },
  ],
  [
    "purgeInstanceHistoryBy with nothing deleted",
    (c) => c.purgeInstanceHistoryBy({ createdTimeFrom: from }),
    notFound,
  ],
  // events and instance operations
  ["raiseEvent with data", (c) => c.raiseEvent("abc", "Approval", { ok: true }), accepted],
  ["raiseEvent without data", (c) => c.raiseEvent("abc", "Approval", undefined), accepted],
  [
    "raiseEvent to another task hub",
    (c) => c.raiseEvent("abc", "Approval", 1, { taskHubName: "OtherHub", connectionName: "OtherConn" }),
    accepted,
  ],
  ["raiseEvent to a finished instance (410)", (c) => c.raiseEvent("abc", "E", 1), gone],
  ["raiseEvent to an unknown instance", (c) => c.raiseEvent("abc", "E", 1), notFound],
  [
    "raiseEvent rejected (400)",
    (c) => c.raiseEvent("abc", "E", 1),
    { status: 400, body: { Message: "json" } },
  ],
  ["raiseEvent without an event name", (c) => c.raiseEvent("abc", "", 1), accepted],
  ["terminate", (c) => c.terminate("abc", "no longer needed"), accepted],
  ["terminate a finished instance", (c) => c.terminate("abc", "r"), gone],
  ["terminate an unknown instance", (c) => c.terminate("abc", "r"), notFound],
  ["terminate with a 500", (c) => c.terminate("abc", "r"), serverError],
  ["suspend", (c) => c.suspend("abc", "pause"), accepted],
  ["suspend an unknown instance", (c) => c.suspend("abc", "pause"), notFound],
  ["resume", (c) => c.resume("abc", "go"), accepted],
  ["resume a finished instance", (c) => c.resume("abc", "go"), gone],
  ["rewind", (c) => c.rewind("abc", "retry"), accepted],
  [
    "rewind in another task hub",
    (c) => c.rewind("abc", "retry", { taskHubName: "H2", connectionName: "C2" }),
    accepted,
  ],
  ["rewind not found with text", (c) => c.rewind("abc", "r"), { status: 404, body: "No such instance" }],
  ["rewind not found without text", (c) => c.rewind("abc", "r"), notFound],
  ["rewind not failed (412)", (c) => c.rewind("abc", "r"), { status: 412 }],
  ["rewind unsupported (501)", (c) => c.rewind("abc", "r"), { status: 501, body: { Message: "no" } }],
  ["rewind gone (410)", (c) => c.rewind("abc", "r"), gone],
  // entities
  ["signalEntity with an operation and content", (c) => c.signalEntity(counter, "add", 5), accepted],
  ["signalEntity without operation or content", (c) => c.signalEntity(counter), accepted],
  [
    "signalEntity to another task hub",
    (c) => c.signalEntity(counter, "reset", undefined, { taskHubName: "H2", connectionName: "C2" }),
    accepted,
  ],
  [
    "signalEntity rejected",
    (c) => c.signalEntity(counter, "add", 1),
    { status: 400, body: { Message: "bad" } },
  ],
  ["readEntityState", (c) => c.readEntityState(counter), { status: 200, body: { count: 5 } }],
  ["readEntityState of a string state", (c) => c.readEntityState(counter), { status: 200, body: '"text"' }],
  ["readEntityState with an empty body", (c) => c.readEntityState(counter), { status: 200 }],
  ["readEntityState not found", (c) => c.readEntityState(counter), notFound],
  ["readEntityState in another task hub", (c) => c.readEntityState(counter, { taskHubName: "H2" }), notFound],
  ["readEntityState with a 500", (c) => c.readEntityState(counter), serverError],
];

describe.each([
  ["rpcBaseUrl", false],
  ["legacy URL templates", true],
])("DurableClient over %s sends and handles the same as durable-functions", (_label, legacy) => {
  it.each(cases)("%s", async (_name, call, responses) => {
    await expectSameBehaviour(call, responses, legacy);
  });
});

describe("specific wire details", () => {
  it('startNew without input posts the JSON text "" (axios re-encodes the empty string)', async () => {
    const run = await expectSameBehaviour((c) => c.startNew("Hello"), { status: 202, body: { id: "x" } });
    expect(run.requests).toEqual([
      expect.objectContaining({ method: "POST", url: "/durabletask/orchestrators/Hello", body: '""' }),
    ]);
  });

  it("continuation tokens are sent back and pages concatenated", async () => {
    const run = await expectSameBehaviour(
      (c) => c.getStatusAll(),
      [
        { status: 200, headers: { "x-ms-continuation-token": "t2" }, body: [statusBody("Running")] },
        { status: 200, body: [statusBody("Completed")] },
      ],
    );
    expect(run.requests.map((request) => request.continuationToken)).toEqual([undefined, "t2"]);
    expect(run.outcome).toEqual({ value: [statusBody("Running"), statusBody("Completed")] });
  });

  it("410 is ignored by raiseEvent and 404 names the instance", async () => {
    expect((await expectSameBehaviour((c) => c.raiseEvent("abc", "E", 1), gone)).outcome).toEqual({
      value: undefined,
    });
    expect((await expectSameBehaviour((c) => c.raiseEvent("abc", "E", 1), notFound)).outcome).toEqual({
      error: "No instance with ID 'abc' found.",
      errorType: "Error",
    });
  });

  it("purgeInstanceHistoryBy without createdTimeFrom is refused before any request in legacy mode", async () => {
    const run = await expectSameBehaviour((c) => c.purgeInstanceHistoryBy({}), notFound, true);
    expect(run.requests).toEqual([]);
    expect(run.outcome).toEqual({ error: "createdTimeFrom must be a valid Date", errorType: "Error" });
  });

  it("entity calls need baseUrl and requiredQueryStringParameters in legacy mode", async () => {
    const binding = durableClientBinding(server.origin, { legacy: true, code: "" });
    for (const call of [
      (c) => c.signalEntity(counter, "add"),
      (c) => c.readEntityState(counter),
    ] as ClientCall[]) {
      const { official, ours } = await runBoth(server, binding, call, accepted);
      expect(ours).toEqual(official);
      expect(ours.outcome).toHaveProperty("error");
    }
  });
});

describe("waitForCompletionOrCreateCheckStatusResponse", () => {
  const request = new HttpRequest({ url: "https://public.example.com/api/start", method: "POST" });
  const wait = (timeoutInMilliseconds: number, retryIntervalInMilliseconds: number): ClientCall => {
    return (c) =>
      c.waitForCompletionOrCreateCheckStatusResponse(request, "abc", {
        timeoutInMilliseconds,
        retryIntervalInMilliseconds,
      });
  };

  it("returns 200 with the output once the instance completes", async () => {
    const run = await expectSameBehaviour(wait(5000, 10), [
      status("Running", 202),
      status("Running", 202),
      status("Completed"),
    ]);
    expect(run.outcome).toMatchObject({ value: { status: 200, body: '"Hello Tokyo"' } });
    expect(run.requests).toHaveLength(3);
  });

  it("returns 200 with the whole status for terminated and canceled instances", async () => {
    await expectSameBehaviour(wait(1000, 10), status("Terminated"));
    await expectSameBehaviour(wait(1000, 10), status("Canceled"));
  });

  it("returns 500 with the whole status for a failed instance", async () => {
    const run = await expectSameBehaviour(wait(1000, 10), status("Failed"));
    expect(run.outcome).toMatchObject({ value: { status: 500 } });
  });

  it("falls back to the check-status response after the timeout", async () => {
    const binding = durableClientBinding(server.origin);
    const { official, ours } = await runBoth(server, binding, wait(120, 40), status("Running", 202));
    expect(ours.outcome).toEqual(official.outcome);
    expect(ours.outcome).toMatchObject({ value: { status: 202 } });
    // Polling counts depend on timing; each poll is the same GET.
    expect(new Set(ours.requests.map((r) => r.url))).toEqual(new Set(official.requests.map((r) => r.url)));
  });

  it("rejects a retry interval longer than the timeout", async () => {
    const run = await expectSameBehaviour(wait(100, 200), status("Running", 202));
    expect(run.requests).toEqual([]);
    expect(run.outcome).toHaveProperty("error");
  });

  it("propagates a 404 from getStatus", async () => {
    await expectSameBehaviour(wait(100, 10), notFound);
  });
});

describe("responses built without a request to the host", () => {
  const calls: [string, ClientCall][] = [
    [
      "createCheckStatusResponse with a request",
      (c) =>
        c.createCheckStatusResponse(
          new HttpRequest({ url: "https://public.example.com:8443/api/x", method: "GET" }),
          "id 1",
        ),
    ],
    ["createCheckStatusResponse without a request", (c) => c.createCheckStatusResponse(undefined, "abc")],
    ["createHttpManagementPayload", (c) => c.createHttpManagementPayload("abc")],
    [
      "taskHubName and uniqueWebhookOrigins",
      (c) => ({ hub: c.taskHubName, origins: c.uniqueWebhookOrigins }),
    ],
  ];

  it.each(calls)("%s", async (_name, call) => {
    const run = await expectSameBehaviour(call, accepted);
    expect(run.requests).toEqual([]);
  });

  it("createCheckStatusResponse: 202, Location, Retry-After and every management URL", async () => {
    const run = await expectSameBehaviour(
      (c) =>
        c.createCheckStatusResponse(
          new HttpRequest({ url: "https://public.example.com/api/x", method: "GET" }),
          "abc",
        ),
      accepted,
    );
    const value = (run.outcome as { value: { status: number; headers: [string, string][]; body: string } })
      .value;
    expect(value.status).toBe(202);
    expect(Object.fromEntries(value.headers)).toMatchObject({
      "content-type": "application/json",
      location:
        "https://public.example.com/runtime/webhooks/durabletask/instances/abc?taskHub=TestHub&connection=Storage&code=XYZ",
      "retry-after": "10",
    });
    expect(Object.keys(JSON.parse(value.body) as object)).toEqual([
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
  });
});
