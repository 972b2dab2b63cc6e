import type { FunctionApp } from "../../../src/host/functions-worker/function-app";
import { durableClientBinding } from "../../support/durable-client-binding";
import { FIXTURES, loadFixture } from "./load-fixture";

jest.mock(
  "@azure/functions-core",
  () =>
    jest
      .requireActual<typeof import("../../../src/host/functions-worker/functions-core")>(
        "../../../src/host/functions-worker/functions-core",
      )
      .functionsCoreModule(),
  { virtual: true },
);

const timestamp = "2024-01-01T00:00:00.000Z";

/** The orchestrationTrigger payload of a first episode (protocol §3.1). */
const helloSequenceStart = {
  history: [
    { EventId: -1, IsPlayed: false, Timestamp: timestamp, EventType: 12 },
    {
      EventId: -1,
      IsPlayed: false,
      Timestamp: timestamp,
      EventType: 0,
      OrchestrationInstance: { InstanceId: "abc", ExecutionId: "exec-1" },
      ParentInstance: null,
      Name: "HelloSequence",
      Version: null,
      Input: JSON.stringify("Tokyo"),
      Tags: null,
      Correlation: null,
      ScheduledStartTime: null,
      Generation: 0,
    },
  ],
  input: "Tokyo",
  instanceId: "abc",
  isReplaying: false,
  parentInstanceId: null,
  upperSchemaVersion: 1,
  upperSchemaVersionNew: 2,
  longRunningTimerIntervalDuration: "3.00:00:00",
  maximumShortTimerDuration: "6.00:00:00",
  defaultHttpAsyncRequestSleepTimeMillseconds: 30000,
};

/** An entityTrigger batch (protocol §5.2). */
const counterBatch = {
  self: { name: "counter", key: "k" },
  exists: true,
  state: "5",
  batch: [
    { name: "add", input: "2", isSignal: true },
    { name: "get", input: null, isSignal: false },
  ],
};

describe.each([
  ["the official durable-functions package", "durable-app"],
  ["durable-ts", "sdk-app"],
])("durable functions written with %s", (_sdk, fixture) => {
  let app: FunctionApp;

  beforeAll(async () => {
    ({ app } = await loadFixture(fixture));
  });

  it("registers orchestration, activity, entity and client functions with their triggers", () => {
    const triggers = Object.fromEntries(app.functions.map((fn) => [fn.name, fn.trigger.type]));
    expect(triggers).toEqual({
      HelloSequence: "orchestrationTrigger",
      SayHello: "activityTrigger",
      Counter: "entityTrigger",
      HttpStart: "httpTrigger",
    });
  });

  it("answers an orchestration's first episode with its CallActivity action", async () => {
    const { returnValue } = await app.invoke("HelloSequence", {
      trigger: { kind: "value", value: JSON.stringify(helloSequenceStart), dataType: "string" },
    });
    expect(returnValue).toMatchObject({
      isDone: false,
      // The JS encodes a string input once more (protocol §4); the host undoes it.
      actions: [[{ actionType: 0, functionName: "SayHello", input: JSON.stringify("Tokyo") }]],
    });
  });

  it("returns an activity's value", async () => {
    const { returnValue } = await app.invoke("SayHello", {
      trigger: { kind: "value", value: JSON.stringify("Tokyo"), dataType: "string" },
    });
    expect(returnValue).toBe("Hello, Tokyo!");
  });

  it("returns an entity batch's results and new state", async () => {
    const { returnValue } = await app.invoke("Counter", {
      trigger: { kind: "value", value: JSON.stringify(counterBatch), dataType: "string" },
    });
    expect(returnValue).toMatchObject({
      entityExists: true,
      entityState: "7",
      results: [{ isError: false }, { isError: false, result: "7" }],
    });
  });

  it.each([
    ["an object", (payload: object): unknown => payload],
    ["its JSON text", (payload: object): unknown => JSON.stringify(payload)],
  ])(
    "gives a client function a working durable client from the binding payload as %s",
    async (_form, encode) => {
      const httpStart = app.functions.find((fn) => fn.name === "HttpStart");
      const clientBinding = httpStart?.bindings.find((binding) => binding.type === "durableClient");
      expect(clientBinding?.direction).toBe("in");
      const result = await app.invoke("HttpStart", {
        trigger: {
          kind: "http",
          request: {
            method: "POST",
            url: "http://localhost:7071/api/orchestrators/HelloSequence",
            headers: {},
            params: { name: "HelloSequence" },
          },
        },
        inputs: { [clientBinding?.name ?? ""]: encode(durableClientBinding("http://127.0.0.1:7071")) },
      });
      expect(result.http?.status).toBe(202);
      const statusUri = expect.stringContaining("/runtime/webhooks/durabletask/instances/abc?");
      expect(result.http?.headers).toMatchObject({ location: statusUri, "retry-after": "10" });
      expect(JSON.parse(String(result.http?.body))).toMatchObject({
        id: "abc",
        statusQueryGetUri: statusUri,
      });
    },
  );
});

describe("an app whose main is a glob", () => {
  it("loads every file the glob matches, in name order", async () => {
    const { app } = await loadFixture("durable-app");
    expect(app.entryFiles).toEqual(
      ["counter.js", "hello-sequence.js", "http-start.js"].map(
        (file) => `${FIXTURES}/durable-app/src/functions/${file}`,
      ),
    );
  });
});
