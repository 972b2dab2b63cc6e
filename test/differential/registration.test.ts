/**
 * What the Functions worker receives when an app registers durable functions: the same metadata
 * (names, bindings, directions, binding names, retry) through durable-ts as through
 * durable-functions 3.5.0, for the same app code.
 */
import type * as Official from "durable-functions";
import type * as Azure from "@azure/functions";
import {
  capturedFunctions,
  resetCapturedFunctions,
  type CapturedMetadata,
} from "../support/functions-core-capture";

jest.mock(
  "@azure/functions-core",
  () =>
    jest
      .requireActual<typeof import("../support/functions-core-capture")>("../support/functions-core-capture")
      .createFakeFunctionsCore(),
  { virtual: true },
);

/** The API the scenarios write against: the official package's typing, which ours must satisfy. */
type DurableApi = typeof Official;
type Scenario = (df: DurableApi, azure: typeof Azure) => void;

/** Runs the scenario against fresh copies of @azure/functions and the package, and returns what was registered. */
function registerWith(packageName: "official" | "ours", scenario: Scenario): CapturedMetadata[] {
  resetCapturedFunctions();
  jest.isolateModules(() => {
    const azure = jest.requireActual<typeof Azure>("@azure/functions");
    scenario(packageName === "official" ? loadOfficial() : loadOurs(), azure);
  });
  return capturedFunctions().map((captured) => captured.metadata);
}

function loadOfficial(): DurableApi {
  return jest.requireActual<DurableApi>("durable-functions");
}

/**
 * Exports whose constructor signatures legitimately differ: durable-functions declares these
 * classes without constructor parameters (apps never construct them; the official runtime does
 * not even export them), while ours take what they need.
 */
type ConstructedBySdk = "DurableLock" | "DurableOrchestrationContext";

function loadOurs(): DurableApi {
  // Assigning our module to the official module's type checks, at compile time, that user code
  // typed against durable-functions compiles against durable-ts.
  const ours: Omit<DurableApi, ConstructedBySdk> =
    jest.requireActual<typeof import("../../src")>("../../src");
  return ours as DurableApi;
}

async function expectSameRegistration(scenario: Scenario): Promise<CapturedMetadata[]> {
  const official = registerWith("official", scenario);
  const ours = registerWith("ours", scenario);
  expect(official.length).toBeGreaterThan(0);
  expect(ours).toEqual(official);
  return ours;
}

const noop = (): void => undefined;

describe("registration metadata equals durable-functions 3.5.0", () => {
  it("app.orchestration with a handler and with options", async () => {
    const [plain, withOptions] = await expectSameRegistration((df, azure) => {
      df.app.orchestration("HelloOrchestrator", function* (context) {
        return yield context.df.callActivity("Hello", "Tokyo");
      });
      df.app.orchestration("WithOptions", {
        handler: function* (context) {
          yield context.df.createTimer(new Date(0));
        },
        extraOutputs: [azure.output.storageQueue({ queueName: "q", connection: "Storage" })],
      });
    });
    expect(Object.values(plain.bindings)).toEqual([
      expect.objectContaining({ type: "orchestrationTrigger", direction: "in" }),
    ]);
    expect(Object.keys(withOptions.bindings)).toHaveLength(2);
  });

  it("app.activity with and without extra bindings", async () => {
    const [plain] = await expectSameRegistration((df, azure) => {
      df.app.activity("Hello", { handler: (input: unknown) => input });
      df.app.activity("WithBindings", {
        handler: noop,
        extraInputs: [azure.input.storageBlob({ path: "c/{name}", connection: "Storage" })],
        extraOutputs: [azure.output.storageBlob({ path: "c/out", connection: "Storage" })],
      });
    });
    expect(Object.values(plain.bindings)).toEqual([
      expect.objectContaining({ type: "activityTrigger", direction: "in" }),
    ]);
  });

  it("app.entity with a handler and with options", async () => {
    await expectSameRegistration((df) => {
      df.app.entity("Counter", noop);
      df.app.entity("Other", { handler: noop });
    });
  });

  it("app.client.http without and with route, methods and authLevel", async () => {
    const [plain, configured] = await expectSameRegistration((df) => {
      df.app.client.http("Starter", { handler: async () => ({ status: 200 }) });
      df.app.client.http("Configured", {
        route: "orchestrators/{orchestratorName}",
        methods: ["POST", "GET"],
        authLevel: "function",
        handler: async () => ({ status: 202 }),
      });
    });
    expect(Object.values(plain.bindings).map((binding) => [binding.type, binding.direction])).toEqual([
      ["httpTrigger", "in"],
      ["durableClient", "in"],
      ["http", "out"],
    ]);
    expect(Object.values(configured.bindings)[0]).toMatchObject({
      route: "orchestrators/{orchestratorName}",
      methods: ["POST", "GET"],
      authLevel: "function",
    });
  });

  it("app.client.timer, storageQueue, storageBlob, serviceBus, eventHub, eventGrid and cosmosDB", async () => {
    await expectSameRegistration((df) => {
      df.app.client.timer("Timer", { schedule: "0 */5 * * * *", handler: noop });
      df.app.client.storageQueue("Queue", { queueName: "jobs", connection: "Storage", handler: noop });
      df.app.client.storageBlob("Blob", { path: "in/{name}", connection: "Storage", handler: noop });
      df.app.client.serviceBusQueue("SbQueue", { queueName: "q", connection: "Sb", handler: noop });
      df.app.client.serviceBusTopic("SbTopic", {
        topicName: "t",
        subscriptionName: "s",
        connection: "Sb",
        handler: noop,
      });
      df.app.client.eventHub("Hub", { eventHubName: "h", connection: "Eh", handler: noop });
      df.app.client.eventGrid("Grid", { handler: noop });
      df.app.client.cosmosDB("Cosmos", {
        connection: "Cosmos",
        databaseName: "db",
        containerName: "c",
        handler: noop,
      });
    });
  });

  it("app.client.generic and a retry policy", async () => {
    await expectSameRegistration((df, azure) => {
      df.app.client.generic("Generic", {
        trigger: azure.trigger.generic({ type: "queueTrigger", queueName: "q", connection: "Storage" }),
        handler: noop,
      });
      df.app.client.timer("Retried", {
        schedule: "0 0 * * * *",
        retry: { strategy: "fixedDelay", maxRetryCount: 3, delayInterval: { seconds: 10 } },
        handler: noop,
      });
    });
  });

  it("does not add a second durableClient input when the app declared one", async () => {
    const [registered] = await expectSameRegistration((df) => {
      df.app.client.http("Declared", { extraInputs: [df.input.durableClient()], handler: async () => ({}) });
    });
    const clientInputs = Object.values(registered.bindings).filter(
      (binding) => binding.type === "durableClient",
    );
    expect(clientInputs).toHaveLength(1);
  });

  it("a plain app.http with input.durableClient() in extraInputs", async () => {
    await expectSameRegistration((df, azure) => {
      azure.app.http("PlainHttp", {
        extraInputs: [df.input.durableClient()],
        handler: async () => ({ status: 200 }),
      });
    });
  });

  it("trigger.* and input.* build the same binding objects", async () => {
    const build = (df: DurableApi): unknown[] => [
      df.trigger.activity(),
      df.trigger.orchestration(),
      df.trigger.entity(),
      df.input.durableClient(),
    ];
    let official: unknown[] = [];
    let ours: unknown[] = [];
    jest.isolateModules(() => {
      official = build(loadOfficial());
    });
    jest.isolateModules(() => {
      ours = build(loadOurs());
    });
    expect(ours).toEqual(official);
  });
});
