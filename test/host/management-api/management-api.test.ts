/**
 * createManagementApi as a whole: what it answers for, routing and its 404s, the task hub it
 * serves, the system key, and instances caught between two generations of continue-as-new.
 * The entity routes have entity-routes.test.ts.
 */
import { TaskHubClient } from "../../../src/engine/client";
import { createManagementApi, type HostRequest } from "../../../src/host/management-api";
import { useManagementHarness } from "./support/management-harness";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../../support/official-invoker")>("../../support/official-invoker")
    .interceptGeneric(),
);

const harness = useManagementHarness();

function request(method: string, url: string, init: Partial<HostRequest> = {}): HostRequest {
  return { method, url: new URL(url), headers: {}, body: Buffer.alloc(0), ...init };
}

describe("handle", () => {
  it("answers undefined for paths outside the webhook base, so the host can route them elsewhere", async () => {
    for (const path of ["/api/start", "/runtime/webhooks/durabletaskx/instances", "/"]) {
      expect(await harness().api.handle(request("GET", `http://h${path}`))).toBeUndefined();
    }
  });

  it("matches the base path ignoring case, and a custom base path", async () => {
    const custom = createManagementApi({
      client: harness().client,
      taskHubName: "MgmtHub",
      connectionName: "Storage",
      hasOrchestrator: () => true,
      webhookPath: "durable/",
    });

    expect(
      (await harness().api.handle(request("GET", "http://h/Runtime/Webhooks/DurableTask/instances")))?.status,
    ).toBe(200);
    expect(custom.webhookPath).toBe("/durable");
    expect((await custom.handle(request("GET", "http://h/durable/instances/nobody")))?.status).toBe(404);
    expect(
      await custom.handle(request("GET", "http://h/runtime/webhooks/durabletask/instances")),
    ).toBeUndefined();
  });

  it.each([
    ["the base itself", "GET", ""],
    ["an unknown root", "GET", "orchestrations/x"],
    ["an unknown operation", "POST", "instances/x/pause"],
    ["a misspelt literal (case-sensitive)", "GET", "Instances/x"],
    ["raiseEvent without an event name", "POST", "instances/x/raiseEvent"],
    ["too many segments", "POST", "instances/x/raiseEvent/e/more"],
    ["PUT on an instance", "PUT", "instances/x"],
    ["GET on an operation", "GET", "instances/x/terminate"],
    ["an empty instance id", "POST", "instances//terminate"],
    ["an empty function name", "POST", "orchestrators//x"],
  ])("answers 404 with no body for %s", async (_label, method, path) => {
    const response = await harness().send(method, path);

    expect(response.status).toBe(404);
    expect(response.text).toBe("");
  });

  it("refuses a path segment that is not valid URL encoding", async () => {
    const response = await harness().send("GET", "instances/%E0%A4%A");

    expect(response.status).toBe(400);
  });

  it("serves its own task hub and connection only", async () => {
    const ours = await harness().send(
      "GET",
      "instances/nobody?taskHub=mgmthub&connection=AzureWebJobsStorage",
    );
    const blank = await harness().send("GET", "instances/nobody?taskHub=&connection=");
    const otherHub = await harness().send("GET", "instances/nobody?taskHub=OtherHub");
    const otherConnection = await harness().send("GET", "instances/nobody?connection=Elsewhere");

    expect(ours.status).toBe(404);
    expect(blank.status).toBe(404);
    expect(otherHub.status).toBe(400);
    expect(otherHub.json).toMatchObject({ Message: expect.stringContaining("'OtherHub'") });
    expect(otherConnection.status).toBe(400);
  });

  it("answers 500 with the error's message, not a crash, when the task hub fails", async () => {
    const client = new TaskHubClient(harness().hub);
    jest.spyOn(client, "getInstance").mockRejectedValue(new Error("storage is down"));
    const api = createManagementApi({
      client,
      taskHubName: "MgmtHub",
      connectionName: "Storage",
      hasOrchestrator: () => true,
    });

    const response = await api.handle(request("GET", "http://h/runtime/webhooks/durabletask/instances/x"));

    expect(response?.status).toBe(500);
    expect(JSON.parse(String(response?.body ?? ""))).toEqual({
      Message: "Something went wrong while processing your request",
      ExceptionMessage: "storage is down",
      ExceptionType: "Error",
    });
  });
});

describe("an instance between two generations of continue-as-new", () => {
  it("is answered while a real one continues as new", async () => {
    const response = await harness().send(
      "POST",
      "orchestrators/MgmtCounter/counter?timeout=10&pollingInterval=0.1",
      {
        body: "0",
        headers: { "Content-Type": "application/json" },
      },
    );

    expect(response.status).toBe(200);
    expect(response.json).toBe(3);
    const status = await harness().send("GET", "instances/counter?showHistory=true");
    expect(status.json).toMatchObject({ runtimeStatus: "Completed", input: 3, output: 3 });
  });
});

describe("with a system key", () => {
  const keyed = useManagementHarness({ systemKey: "s3cret/key==" });

  const url = (query = ""): string =>
    `http://myapp.example/runtime/webhooks/durabletask/instances/nobody${query}`;

  it("lets loopback callers in without it: the rpc endpoint of the client functions", async () => {
    expect((await keyed().send("GET", "instances/nobody")).status).toBe(404);
    expect(
      (await keyed().api.handle(request("GET", url(), { remoteAddress: "::ffff:127.0.0.1" })))?.status,
    ).toBe(404);
    expect((await keyed().api.handle(request("GET", url(), { remoteAddress: "::1" })))?.status).toBe(404);
  });

  it("asks anyone else for it, as code= or x-functions-key", async () => {
    const remote = { remoteAddress: "203.0.113.7" };
    const encoded = encodeURIComponent("s3cret/key==");

    expect((await keyed().api.handle(request("GET", url(), remote)))?.status).toBe(401);
    expect((await keyed().api.handle(request("GET", url("?code=wrong"), remote)))?.status).toBe(401);
    expect((await keyed().api.handle(request("GET", url(), {})))?.status).toBe(401);
    expect((await keyed().api.handle(request("GET", url(`?CODE=${encoded}`), remote)))?.status).toBe(404);
    const header = { ...remote, headers: { "x-functions-key": "s3cret/key==" } };
    expect((await keyed().api.handle(request("GET", url(), header)))?.status).toBe(404);
  });

  it("puts it in the URLs it hands out", async () => {
    const response = await keyed().send("POST", "orchestrators/MgmtEcho/keyed");
    const code = `code=${encodeURIComponent("s3cret/key==")}`;

    expect((response.json as { statusQueryGetUri: string }).statusQueryGetUri).toBe(
      `${keyed().webhook}/instances/keyed?taskHub=MgmtHub&connection=Storage&${code}`,
    );
    expect(keyed().binding().requiredQueryStringParameters).toBe(code);
  });
});
