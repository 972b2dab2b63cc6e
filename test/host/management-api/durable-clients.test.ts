/**
 * The official durable-functions 3.5.0 client and our SDK's DurableClient, each built from the
 * binding payload durableClientBindingPayload makes, against the management API over real HTTP.
 * Each runs through rpcBaseUrl, as a host that sends it; and through the webhook URL templates,
 * as the clients fall back to without it. Entity calls wait for signals by polling readEntityState.
 */
import { HttpRequest, type HttpResponse } from "@azure/functions";
import type * as official from "durable-functions";
import { EntityId, OrchestrationRuntimeStatus } from "../../../src";
import type { DurableClientBindingPayload } from "../../../src/protocol";
import { officialClient, ourClient } from "../../support/client-comparison";
import { waitFor } from "../../support/wait-for";
import { recoveredSteps, type RecorderState } from "./support/management-functions";
import { ManagementHarness } from "./support/management-harness";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../../support/official-invoker")>("../../support/official-invoker")
    .interceptGeneric(),
);

const savedHostName = process.env.WEBSITE_HOSTNAME;

beforeAll(() => {
  // As deployed: the clients use the webhook URLs as given instead of http://localhost:7071.
  process.env.WEBSITE_HOSTNAME = "mgmt.example";
});

afterAll(() => {
  if (savedHostName === undefined) delete process.env.WEBSITE_HOSTNAME;
  else process.env.WEBSITE_HOSTNAME = savedHostName;
});

type MakeClient = (binding: unknown) => official.DurableClient;

function withoutRpc(binding: DurableClientBindingPayload): DurableClientBindingPayload {
  const { rpcBaseUrl: _rpc, ...legacy } = binding;
  return legacy;
}

describe.each<[string, MakeClient, boolean]>([
  ["durable-functions through rpcBaseUrl", officialClient, false],
  ["durable-ts through rpcBaseUrl", ourClient, false],
  ["durable-functions through the webhook URLs", officialClient, true],
  ["durable-ts through the webhook URLs", ourClient, true],
])("%s", (label, makeClient, legacy) => {
  let harness: ManagementHarness;
  let client: official.DurableClient;
  /**
   * For entity calls. Through the webhook URLs both clients make them only with a key in the
   * binding (requiredQueryStringParameters), so the legacy runs get one; this API needs none.
   */
  let entityClient: official.DurableClient;
  /** Keeps instance ids apart between the four runs, whose functions share one registry. */
  const tag = label.replace(/\W+/g, "-");
  const id = (name: string): string => `${tag}-${name}`;

  beforeAll(async () => {
    harness = await ManagementHarness.start();
    const binding = harness.binding();
    client = makeClient(legacy ? withoutRpc(binding) : binding);
    entityClient = legacy ? makeClient(withoutRpc(harness.binding("XYZ"))) : client;
  });

  afterAll(async () => {
    await harness.stop();
  });

  function httpRequest(): HttpRequest {
    return new HttpRequest({ method: "POST", url: `${harness.origin}/api/start` });
  }

  async function jsonOf(response: HttpResponse): Promise<unknown> {
    return JSON.parse(await response.text()) as unknown;
  }

  it("starts an orchestration and waits for its output", async () => {
    const instanceId = await client.startNew("MgmtHello", { instanceId: id("hello"), input: "Tokyo" });
    const response = await client.waitForCompletionOrCreateCheckStatusResponse(httpRequest(), instanceId, {
      timeoutInMilliseconds: 10_000,
      retryIntervalInMilliseconds: 50,
    });

    expect(instanceId).toBe(id("hello"));
    expect(response.status).toBe(200);
    expect(await jsonOf(response)).toBe("Hello Tokyo!");
  });

  it("starts with a generated id and no input", async () => {
    const instanceId = await client.startNew("MgmtEcho");

    expect(instanceId).toMatch(/^[0-9a-f]{32}$/);
    await harness.completed(instanceId);
  });

  it("rejects a start of an unknown orchestrator with the host's message", async () => {
    await expect(client.startNew("NoSuchOrchestrator")).rejects.toThrow("'NoSuchOrchestrator'");
  });

  it("reads a status with and without the flags", async () => {
    const instanceId = await client.startNew("MgmtHello", { instanceId: id("status"), input: "Rome" });
    await harness.completed(instanceId);

    const plain = await client.getStatus(instanceId);
    const flagged = await client.getStatus(instanceId, {
      showHistory: true,
      showHistoryOutput: true,
      showInput: true,
    });

    for (const status of [plain, flagged]) {
      expect(status).toMatchObject({
        name: "MgmtHello",
        instanceId,
        runtimeStatus: OrchestrationRuntimeStatus.Completed,
        input: "Rome",
        output: "Hello Rome!",
      });
    }
  });

  it("reads a running instance (202) with its custom status", async () => {
    const instanceId = await client.startNew("MgmtApproval", { instanceId: id("running") });
    await harness.reaches(instanceId, "Running");

    expect(await client.getStatus(instanceId)).toMatchObject({
      runtimeStatus: OrchestrationRuntimeStatus.Running,
      customStatus: { stage: "waiting" },
    });
  });

  it("rejects the status of an unknown instance", async () => {
    await expect(client.getStatus(id("nobody"))).rejects.toThrow("404");
  });

  it("lists every instance, following the continuation header past one page", async () => {
    const started = await Promise.all(
      Array.from({ length: 105 }, (_, i) =>
        client.startNew("MgmtEcho", { instanceId: id(`many-${i}`), input: i }),
      ),
    );

    let all: official.DurableOrchestrationStatus[] = [];
    const pages = await harness.statusesOf(async () => (all = await client.getStatusAll()));
    const listed = all.map((status) => status.instanceId);

    expect(pages).toEqual(["GET 200", "GET 200"]);
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed).toEqual(expect.arrayContaining(started));
  });

  it("lists instances by status and creation time", async () => {
    const from = new Date(Date.now() - 60_000);
    const instanceId = await client.startNew("MgmtApproval", { instanceId: id("by-filter") });
    await harness.reaches(instanceId, "Running");

    const running = await client.getStatusBy({
      createdTimeFrom: from,
      createdTimeTo: new Date(Date.now() + 60_000),
      runtimeStatus: [OrchestrationRuntimeStatus.Running, OrchestrationRuntimeStatus.Pending],
    });
    const future = await client.getStatusBy({ createdTimeFrom: new Date(Date.now() + 60_000) });

    expect(running.map((status) => status.instanceId)).toContain(instanceId);
    expect(running.every((status) => status.runtimeStatus !== OrchestrationRuntimeStatus.Completed)).toBe(
      true,
    );
    expect(future).toEqual([]);
  });

  it("raises an event; on an ended instance it resolves (410); on an unknown one it rejects", async () => {
    const instanceId = await client.startNew("MgmtApproval", { instanceId: id("event") });
    await client.raiseEvent(instanceId, "Approval", { by: "ann" });

    expect((await harness.completed(instanceId)).output).toBe('{"approval":{"by":"ann"}}');
    await expect(client.raiseEvent(instanceId, "Approval", 1)).resolves.toBeUndefined();
    await expect(client.raiseEvent(id("nobody"), "Approval", 1)).rejects.toThrow(
      `No instance with ID '${id("nobody")}' found.`,
    );
  });

  it("raises an event with no data as null", async () => {
    const instanceId = await client.startNew("MgmtApproval", { instanceId: id("event-undefined") });
    await client.raiseEvent(instanceId, "Approval", undefined);

    expect((await harness.completed(instanceId)).runtimeStatus).toBe("Completed");
  });

  it("suspends, resumes and terminates", async () => {
    const instanceId = await client.startNew("MgmtApproval", { instanceId: id("ops") });
    await harness.reaches(instanceId, "Running");

    await client.suspend(instanceId, "hold");
    await harness.reaches(instanceId, "Suspended");
    await client.resume(instanceId, "go on");
    await harness.reaches(instanceId, "Running");
    await client.terminate(instanceId, "enough");

    expect(await client.getStatus((await harness.completed(instanceId)).instanceId)).toMatchObject({
      runtimeStatus: OrchestrationRuntimeStatus.Terminated,
      output: "enough",
    });
    await expect(client.terminate(instanceId, "again")).resolves.toBeUndefined();
    await expect(client.suspend(id("nobody"), "x")).rejects.toThrow("No instance with ID");
  });

  it("rewinds a failed instance, and rejects a rewind of a running one", async () => {
    const step = `fail-${tag}`;
    const failed = await client.startNew("MgmtFailing", { instanceId: id("rewind"), input: step });
    expect((await harness.completed(failed)).runtimeStatus).toBe("Failed");
    recoveredSteps.add(step);

    await client.rewind(failed, "fixed");
    await harness.reaches(failed, "Completed");

    const running = await client.startNew("MgmtApproval", { instanceId: id("rewind-running") });
    await harness.reaches(running, "Running");
    await expect(client.rewind(running, "no")).rejects.toThrow(`Cannot rewind instance '${running}'`);
  });

  it("purges one instance, then finds none", async () => {
    const instanceId = await client.startNew("MgmtEcho", { instanceId: id("purge"), input: 1 });
    await harness.completed(instanceId);

    expect(await client.purgeInstanceHistory(instanceId)).toMatchObject({ instancesDeleted: 1 });
    expect(await client.purgeInstanceHistory(instanceId)).toMatchObject({ instancesDeleted: 0 });
  });

  it("purges by filter", async () => {
    const from = new Date();
    const instanceId = await client.startNew("MgmtEcho", { instanceId: id("purge-by"), input: 1 });
    await harness.completed(instanceId);
    const filter = { createdTimeFrom: from, runtimeStatus: [OrchestrationRuntimeStatus.Completed] };

    expect((await client.purgeInstanceHistoryBy(filter)).instancesDeleted).toBeGreaterThanOrEqual(1);
    expect(await harness.client.getInstance(instanceId)).toBeUndefined();
    expect(await client.purgeInstanceHistoryBy(filter)).toMatchObject({ instancesDeleted: 0 });
  });

  it("gets exactly the status codes the client expects from each call", async () => {
    const codes = (action: () => Promise<unknown>): Promise<string[]> => harness.statusesOf(action);
    const instanceId = id("codes");
    const later = new Date(Date.now() + 60_000);

    expect(await codes(() => client.startNew("MgmtApproval", { instanceId }))).toEqual(["POST 202"]);
    expect(await codes(() => client.startNew("NoSuchOrchestrator"))).toEqual(["POST 400"]);
    await harness.reaches(instanceId, "Running");
    expect(await codes(() => client.getStatus(instanceId))).toEqual(["GET 202"]);
    expect(await codes(() => client.getStatus(id("nobody")))).toEqual(["GET 404"]);
    expect(await codes(() => client.suspend(instanceId, "r"))).toEqual(["POST 202"]);
    await harness.reaches(instanceId, "Suspended");
    expect(await codes(() => client.resume(instanceId, "r"))).toEqual(["POST 202"]);
    await harness.reaches(instanceId, "Running");
    expect(await codes(() => client.rewind(instanceId, "r"))).toEqual(["POST 412"]);
    expect(await codes(() => client.raiseEvent(instanceId, "Approval", 1))).toEqual(["POST 202"]);
    await harness.completed(instanceId);
    expect(await codes(() => client.getStatus(instanceId))).toEqual(["GET 200"]);
    expect(await codes(() => client.raiseEvent(instanceId, "Approval", 1))).toEqual(["POST 410"]);
    expect(await codes(() => client.terminate(instanceId, "r"))).toEqual(["POST 410"]);
    expect(await codes(() => client.rewind(instanceId, "r"))).toEqual(["POST 410"]);
    expect(await codes(() => client.raiseEvent(id("nobody"), "Approval", 1))).toEqual(["POST 404"]);
    expect(await codes(() => client.rewind(id("nobody"), "r"))).toEqual(["POST 404"]);
    expect(await codes(() => client.getStatusBy({ createdTimeFrom: later }))).toEqual(["GET 200"]);
    expect(await codes(() => client.purgeInstanceHistory(instanceId))).toEqual(["DELETE 200"]);
    expect(await codes(() => client.purgeInstanceHistory(instanceId))).toEqual(["DELETE 404"]);
    expect(await codes(() => client.purgeInstanceHistoryBy({ createdTimeFrom: later }))).toEqual([
      "DELETE 404",
    ]);
  });

  /** Polls readEntityState until `ready` holds for the answer; returns it. */
  async function entityWhen(
    entity: EntityId,
    ready: (response: official.EntityStateResponse<RecorderState>) => boolean,
  ): Promise<official.EntityStateResponse<RecorderState>> {
    let response = await entityClient.readEntityState<RecorderState>(entity);
    await waitFor(
      async () => ready((response = await entityClient.readEntityState<RecorderState>(entity))),
      10_000,
      `readEntityState(${entity.toString()}) reaching the state asked for`,
      10,
    );
    return response;
  }

  it("signals an entity, reads its state, and deletes it with the operation 'delete'", async () => {
    const entity = new EntityId("MgmtRecorder", id("entity"));

    await entityClient.signalEntity(entity, "set", { by: "ann", tags: ["a", "b"] });
    expect(await entityWhen(entity, (response) => response.entityExists)).toEqual({
      entityExists: true,
      entityState: { operation: "set", input: { by: "ann", tags: ["a", "b"] }, count: 1 },
    });

    await entityClient.signalEntity(entity);
    expect(await entityWhen(entity, (response) => response.entityState?.count === 2)).toEqual({
      entityExists: true,
      entityState: { operation: "", input: null, count: 2 },
    });

    await entityClient.signalEntity(entity, "delete");
    expect(await entityWhen(entity, (response) => !response.entityExists)).toEqual({ entityExists: false });
  });

  it("signals a string and a number as they were given", async () => {
    const entity = new EntityId("MgmtRecorder", id("entity-values"));

    await entityClient.signalEntity(entity, "set", "text");
    expect((await entityWhen(entity, (response) => response.entityExists)).entityState?.input).toBe("text");
    await entityClient.signalEntity(entity, "set", 42);
    const second = await entityWhen(entity, (response) => response.entityState?.count === 2);
    expect(second.entityState?.input).toBe(42);
  });

  it("reads an entity that does not exist as entityExists: false", async () => {
    const response = await entityClient.readEntityState(new EntityId("MgmtRecorder", id("no-entity")));

    expect(response).toEqual({ entityExists: false });
  });

  it("gets the status codes the client expects from the entity calls", async () => {
    const codes = (action: () => Promise<unknown>): Promise<string[]> => harness.statusesOf(action);
    const entity = new EntityId("MgmtRecorder", id("entity-codes"));

    expect(await codes(() => entityClient.signalEntity(entity, "set", 1))).toEqual(["POST 202"]);
    await entityWhen(entity, (response) => response.entityExists);
    expect(await codes(() => entityClient.readEntityState(entity))).toEqual(["GET 200"]);
    expect(
      await codes(() => entityClient.readEntityState(new EntityId("MgmtRecorder", id("entity-nobody")))),
    ).toEqual(["GET 404"]);
    expect(await codes(() => entityClient.signalEntity(new EntityId("MgmtRecorder", "a\u0001b")))).toEqual([
      "POST 400",
    ]);
    await expect(entityClient.signalEntity(new EntityId("MgmtRecorder", "a\u0001b"))).rejects.toThrow("400");
  });

  it("answers 500 with the status when the instance fails while waited on", async () => {
    const instanceId = await client.startNew("MgmtFailing", {
      instanceId: id("wait-fails"),
      input: "fail-wait",
    });
    const response = await client.waitForCompletionOrCreateCheckStatusResponse(httpRequest(), instanceId, {
      timeoutInMilliseconds: 10_000,
      retryIntervalInMilliseconds: 50,
    });

    expect(response.status).toBe(500);
    expect(await jsonOf(response)).toMatchObject({ runtimeStatus: "Failed" });
  });

  it("hands out a check-status response whose URLs the API serves", async () => {
    const instanceId = await client.startNew("MgmtApproval", { instanceId: id("links") });
    const response = await client.waitForCompletionOrCreateCheckStatusResponse(httpRequest(), instanceId, {
      timeoutInMilliseconds: 100,
      retryIntervalInMilliseconds: 50,
    });
    const links = (await jsonOf(response)) as Record<string, string>;

    expect(response.status).toBe(202);
    expect(response.headers.get("location")).toBe(links.statusQueryGetUri);
    expect(links.statusQueryGetUri).toBe(
      `${harness.webhook}/instances/${instanceId}?taskHub=MgmtHub&connection=Storage`,
    );
    expect((await fetch(links.statusQueryGetUri)).status).toBe(202);
    const event = await fetch(links.sendEventPostUri.replace("{eventName}", "Approval"), {
      method: "POST",
      body: '"via link"',
      headers: { "Content-Type": "application/json" },
    });
    expect(event.status).toBe(202);
    await harness.completed(instanceId);

    const restarted = await fetch(links.restartPostUri, { method: "POST" });
    expect(restarted.status).toBe(202);
    const restartedId = ((await restarted.json()) as { id: string }).id;
    expect((await fetch(links.purgeHistoryDeleteUri, { method: "DELETE" })).status).toBe(200);

    const again = client.createCheckStatusResponse(httpRequest(), restartedId);
    const againLinks = (await jsonOf(again)) as Record<string, string>;
    await harness.reaches(restartedId, "Running");
    for (const operation of ["suspendPostUri", "resumePostUri", "terminatePostUri"]) {
      const answer = await fetch(againLinks[operation].replace("{text}", "by link"), { method: "POST" });
      expect(answer.status).toBe(202);
      if (operation === "suspendPostUri") await harness.reaches(restartedId, "Suspended");
      if (operation === "resumePostUri") await harness.reaches(restartedId, "Running");
    }
    expect((await harness.completed(restartedId)).runtimeStatus).toBe("Terminated");
    const rewind = await fetch(againLinks.rewindPostUri.replace("{text}", "x"), { method: "POST" });
    expect(rewind.status).toBe(410);
  });
});

describe.each<[string, MakeClient]>([
  ["durable-functions", officialClient],
  ["durable-ts", ourClient],
])("%s through the webhook URLs of a host without a key", (_label, makeClient) => {
  let harness: ManagementHarness;

  beforeAll(async () => {
    harness = await ManagementHarness.start();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it("refuses the entity calls without sending anything, as the binding has no required query", async () => {
    const client = makeClient(withoutRpc(harness.binding()));
    const entity = new EntityId("MgmtRecorder", "k");

    const sent = await harness.statusesOf(async () => {
      await expect(client.signalEntity(entity, "set")).rejects.toThrow(
        "Cannot use the signalEntity API with this version of the Durable Task Extension.",
      );
      await expect(client.readEntityState(entity)).rejects.toThrow(
        "Cannot use the readEntityState API with this version of the Durable Task Extension.",
      );
    });
    expect(sent).toEqual([]);
  });
});
