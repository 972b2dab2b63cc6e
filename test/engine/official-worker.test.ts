/**
 * The engine driven by the REAL durable-functions@3.5.0 worker: every pattern of the Durable
 * Functions docs end to end on the in-memory hub with virtual time.
 */
import * as df from "durable-functions";
import type { OrchestrationContext } from "durable-functions";
import { DurableTestHub } from "../../src/testing/durable-test-hub";
import { OfficialInvoker } from "../support/official-invoker";

jest.mock("@azure/functions", () =>
  jest
    .requireActual<typeof import("../support/official-invoker")>("../support/official-invoker")
    .interceptGeneric(),
);

let hub: DurableTestHub;
let flakyCalls = 0;

beforeAll(() => {
  df.app.activity("SayHello", { handler: (name: string) => `Hello ${name}!` });
  df.app.activity("Size", { handler: (n: number) => n * 10 });
  df.app.activity("Boom", {
    handler: () => {
      throw new Error("kaboom");
    },
  });
  df.app.activity("Flaky", {
    handler: () => {
      flakyCalls++;
      if (flakyCalls < 3) throw new Error(`flaky ${flakyCalls}`);
      return "steady";
    },
  });
  df.app.orchestration("Chain", function* (context: OrchestrationContext) {
    const out: string[] = [];
    for (const city of ["Tokyo", "Seattle", "London"])
      out.push(yield context.df.callActivity("SayHello", city));
    return out;
  });
  df.app.orchestration("FanOut", function* (context: OrchestrationContext) {
    const count = context.df.getInput<number>();
    const tasks = [];
    for (let i = 0; i < count; i++) tasks.push(context.df.callActivity("Size", i));
    const sizes: number[] = yield context.df.Task.all(tasks);
    return sizes.reduce((a, b) => a + b, 0);
  });
  df.app.orchestration("Approval", function* (context: OrchestrationContext) {
    const deadline = new Date(context.df.currentUtcDateTime.getTime() + 3 * 24 * 3600 * 1000);
    const timer = context.df.createTimer(deadline);
    const approval = context.df.waitForExternalEvent("Approval");
    const winner = yield context.df.Task.any([approval, timer]);
    if (winner === approval) {
      timer.cancel();
      return `approved: ${JSON.stringify(approval.result)}`;
    }
    return "timed out";
  });
  df.app.orchestration("LongSleep", function* (context: OrchestrationContext) {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 10 * 24 * 3600 * 1000));
    return context.df.currentUtcDateTime.toISOString();
  });
  df.app.orchestration("Failing", function* (context: OrchestrationContext) {
    yield context.df.callActivity("Boom");
  });
  df.app.orchestration("Retrying", function* (context: OrchestrationContext) {
    const retry = new df.RetryOptions(1000, 5);
    return yield context.df.callActivityWithRetry("Flaky", retry);
  });
  df.app.orchestration("Parent", function* (context: OrchestrationContext) {
    const a = yield context.df.callSubOrchestrator("Chain", undefined, `${context.df.instanceId}-child`);
    const b = yield context.df.callSubOrchestrator("FanOut", 3);
    return { a, b };
  });
  df.app.orchestration("Counter", function* (context: OrchestrationContext) {
    const n = context.df.getInput<number>();
    if (n < 50) {
      context.df.continueAsNew(n + 1);
      return;
    }
    return n;
  });
  df.app.orchestration("Monitor", function* (context: OrchestrationContext) {
    let polls = 0;
    while (polls < 5) {
      polls++;
      context.df.setCustomStatus({ polls });
      yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
    }
    return polls;
  });
});

beforeEach(async () => {
  hub = await DurableTestHub.start({ invoker: new OfficialInvoker() });
});

afterEach(async () => {
  await hub.stop();
});

describe("the engine with the official durable-functions worker", () => {
  it("chains activities in order", async () => {
    const id = await hub.startOrchestration("Chain");
    const status = await hub.waitForCompletion(id);
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toEqual(["Hello Tokyo!", "Hello Seattle!", "Hello London!"]);
  });

  it("fans out and in over 200 activities", async () => {
    const id = await hub.startOrchestration("FanOut", 200);
    const status = await hub.waitForCompletion(id);
    expect(status.output).toBe(((199 * 200) / 2) * 10);
  });

  it("takes an approval event raised before the timeout", async () => {
    const id = await hub.startOrchestration("Approval", undefined, "approval-1");
    await hub.whenIdle();
    await hub.raiseEvent(id, "Approval", { by: "ann" });
    expect((await hub.waitForCompletion(id)).output).toBe('approved: {"by":"ann"}');
  });

  it("times out the approval when nobody answers (3 virtual days in no real time)", async () => {
    const id = await hub.startOrchestration("Approval");
    expect((await hub.waitForCompletion(id)).output).toBe("timed out");
  });

  it("splits a 10-day timer into hops and wakes after it", async () => {
    const started = hub.clock.now().getTime();
    const id = await hub.startOrchestration("LongSleep");
    const status = await hub.waitForCompletion(id);
    expect(Date.parse(status.output as string) - started).toBeGreaterThanOrEqual(10 * 24 * 3600 * 1000);
    const timers = (await hub.getHistory(id)).filter((e) => e.EventType === 10);
    expect(timers.length).toBeGreaterThan(1);
  });

  it("fails the orchestration with the activity's message", async () => {
    const id = await hub.startOrchestration("Failing");
    const status = await hub.waitForCompletion(id);
    expect(status.runtimeStatus).toBe("Failed");
    expect(String(status.output)).toContain("Orchestrator function 'Failing' failed");
    expect(String(status.output)).toContain("kaboom");
  });

  it("retries a flaky activity with durable timers", async () => {
    flakyCalls = 0;
    const id = await hub.startOrchestration("Retrying");
    const status = await hub.waitForCompletion(id);
    expect(status.output).toBe("steady");
    expect(flakyCalls).toBe(3);
  });

  it("runs sub-orchestrations with given and generated ids", async () => {
    const id = await hub.startOrchestration("Parent", undefined, "parent-1");
    const status = await hub.waitForCompletion(id);
    expect(status.output).toEqual({ a: ["Hello Tokyo!", "Hello Seattle!", "Hello London!"], b: 30 });
    expect((await hub.client.getInstance("parent-1-child"))?.runtimeStatus).toBe("Completed");
  });

  it("continues as new until done", async () => {
    const id = await hub.startOrchestration("Counter", 0);
    const status = await hub.waitForCompletion(id);
    expect(status.output).toBe(50);
  });

  it("monitors with timers and custom status", async () => {
    const id = await hub.startOrchestration("Monitor");
    const status = await hub.waitForCompletion(id);
    expect(status.output).toBe(5);
    expect(status.customStatus).toEqual({ polls: 5 });
  });
});
