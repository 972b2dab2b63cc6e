/**
 * The SDK's own registry: every function registered through `app.*` can be found and invoked
 * without a Functions host, with the same handler the worker receives.
 */
import { HttpRequest, type InvocationContext } from "@azure/functions";
import type { EntityBatchRequest } from "../../../../src/protocol";
import { capturedFunctions, resetCapturedFunctions } from "../../../support/functions-core-capture";
import { durableClientBinding } from "../../../support/durable-client-binding";

jest.mock(
  "@azure/functions-core",
  () =>
    jest
      .requireActual<typeof import("../../../support/functions-core-capture")>(
        "../../../support/functions-core-capture",
      )
      .createFakeFunctionsCore(),
  { virtual: true },
);

type Sdk = typeof import("../../../../src");
type RegistryModule = typeof import("../../../../src/sdk/registry");

/** A fresh copy of the SDK, its registry and @azure/functions. */
function freshSdk(): { df: Sdk; registryModule: RegistryModule } {
  resetCapturedFunctions();
  let loaded: { df: Sdk; registryModule: RegistryModule } | undefined;
  jest.isolateModules(() => {
    loaded = {
      df: jest.requireActual<Sdk>("../../../../src"),
      registryModule: jest.requireActual<RegistryModule>("../../../../src/sdk/registry"),
    };
  });
  return loaded as { df: Sdk; registryModule: RegistryModule };
}

describe("function registry", () => {
  it("records each kind with its wrapped handler, user handler and options", () => {
    const { df, registryModule } = freshSdk();
    const orchestrator = function* (context: import("../../../../src").OrchestrationContext) {
      yield context.df.callActivity("Activity");
    };
    const activity = (input: unknown): unknown => input;
    const entity = (): void => undefined;
    const client = async (): Promise<{ status: number }> => ({ status: 200 });
    df.app.orchestration("Orchestrator", orchestrator);
    df.app.activity("Activity", { handler: activity });
    df.app.entity("Counter", entity);
    df.app.client.http("Starter", { handler: client });

    const { registry } = registryModule;
    expect(registry.list().map((r) => [r.kind, r.name])).toEqual([
      ["orchestration", "Orchestrator"],
      ["activity", "Activity"],
      ["entity", "Counter"],
      ["client", "Starter"],
    ]);
    expect(registry.getOrchestration("orchestrator")?.userHandler).toBe(orchestrator);
    expect(registry.getActivity("ACTIVITY")?.userHandler).toBe(activity);
    expect(registry.getEntity("counter")?.userHandler).toBe(entity);
    expect(registry.getClient("starter")?.userHandler).toBe(client);
    expect(registry.getActivity("Counter")).toBeUndefined();
    expect(registry.list("entity")).toHaveLength(1);

    // The handler recorded is the one the worker received.
    const callbacks = capturedFunctions().map((captured) => captured.callback);
    expect(registry.list().map((r) => r.handler)).toEqual(callbacks);
    expect(registry.getOrchestration("Orchestrator")?.options.trigger).toMatchObject({
      type: "orchestrationTrigger",
    });
    expect(registry.getClient("Starter")?.options.extraInputs).toEqual([
      expect.objectContaining({ type: "durableClient" }),
    ]);
  });

  it("app.activity and app.orchestration return task factories for orchestrations", () => {
    const { df } = freshSdk();
    const callActivity = df.app.activity("Work", { handler: () => 1 });
    const callOrchestration = df.app.orchestration("Sub", function* (context) {
      yield context.df.callActivity("Work");
    });
    const activityTask = callActivity("input");
    const orchestrationTask = callOrchestration("input", "child-id");
    expect(activityTask).toMatchObject({ isCompleted: false, isFaulted: false });
    expect(typeof activityTask.withRetry).toBe("function");
    expect(typeof orchestrationTask.withRetry).toBe("function");
  });

  it("refuses a second function with the same name, ignoring case, before registering it", () => {
    const { df } = freshSdk();
    df.app.activity("Work", { handler: () => 1 });
    expect(() => df.app.entity("work", () => undefined)).toThrow(/already registered/);
    expect(capturedFunctions()).toHaveLength(1);
  });

  it("keeps nothing when @azure/functions refuses the function", () => {
    const { df, registryModule } = freshSdk();
    const input = df.input.durableClient();
    expect(() =>
      df.app.activity("Clash", {
        handler: () => 1,
        extraInputs: [input],
        extraOutputs: [{ ...input, type: "queue" }],
      }),
    ).toThrow(/Duplicate bindings/);
    expect(registryModule.registry.get("Clash")).toBeUndefined();
  });

  it("clear() forgets everything", () => {
    const { df, registryModule } = freshSdk();
    df.app.activity("Work", { handler: () => 1 });
    registryModule.registry.clear();
    expect(registryModule.registry.list()).toEqual([]);
  });

  it("runs an activity and an entity batch without a host", async () => {
    const { df, registryModule } = freshSdk();
    const { registry, createInvocationContext } = registryModule;
    df.app.activity("Double", { handler: (input: unknown) => (input as number) * 2 });
    df.app.entity("Counter", (context) => {
      context.df.setState(((context.df.getState() as number) ?? 0) + 1);
    });

    const activity = registry.getActivity("Double");
    const entity = registry.getEntity("counter");
    if (!activity || !entity) {
      throw new Error("not registered");
    }
    await expect(activity.handler(21, createInvocationContext(activity))).resolves.toBe(42);

    const batch: EntityBatchRequest = {
      self: { name: "counter", key: "k" },
      exists: false,
      state: null,
      batch: [{ name: "inc", input: null, isSignal: true }],
    };
    await expect(entity.handler(batch, createInvocationContext(entity))).resolves.toMatchObject({
      entityExists: true,
      entityState: "1",
    });
  });

  it("runs a client function with the durableClient binding given to createInvocationContext", async () => {
    const savedHostName = process.env.WEBSITE_HOSTNAME;
    process.env.WEBSITE_HOSTNAME = "myapp.azurewebsites.net";
    try {
      const { df, registryModule } = freshSdk();
      const { registry, createInvocationContext } = registryModule;
      df.app.client.http("Starter", {
        handler: (request, client, context) =>
          client.createCheckStatusResponse(request, `${context.functionName}-${context.invocationId}`),
      });
      const starter = registry.getClient("Starter");
      if (!starter) {
        throw new Error("not registered");
      }
      const context: InvocationContext = createInvocationContext(starter, {
        invocationId: "42",
        durableClient: JSON.stringify(durableClientBinding("https://myapp.azurewebsites.net")),
      });
      const response = (await starter.handler(
        new HttpRequest({ url: "https://public.example.com/api/start", method: "POST" }),
        context,
      )) as Response;
      expect(response.status).toBe(202);
      expect(response.headers.get("location")).toBe(
        "https://public.example.com/runtime/webhooks/durabletask/instances/Starter-42?taskHub=TestHub&connection=Storage&code=XYZ",
      );
    } finally {
      if (savedHostName === undefined) {
        delete process.env.WEBSITE_HOSTNAME;
      } else {
        process.env.WEBSITE_HOSTNAME = savedHostName;
      }
    }
  });

  it("a client function adds the durableClient input to the app's own options object", () => {
    const { df } = freshSdk();
    const options = { queueName: "q", connection: "Storage", handler: () => undefined };
    df.app.client.storageQueue("Queue", options);
    expect((options as { extraInputs?: unknown[] }).extraInputs).toEqual([
      expect.objectContaining({ type: "durableClient" }),
    ]);
  });
});
