/**
 * The Durable Functions patterns, written once against the durable-functions v3 API and run
 * with any SDK that offers it (the official package and ours), on the in-memory hub.
 */
import type * as DurableFunctions from "durable-functions";
import type { OrchestrationContext } from "durable-functions";
import { HistoryEventType, type HistoryEvent } from "../../src/protocol/history";
import type { DurableTestHub } from "../../src/testing/durable-test-hub";

type DurableModule = typeof DurableFunctions;

let flakyCalls = 0;
const state = { failNext: true, driftName: "Echo" };
/** "Held" activities still running, by label: a test ends each one when it chooses. */
const held = new Map<string, () => void>();
let heldRuns = 0;

export function registerPatterns(df: DurableModule): void {
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
  df.app.orchestration("RetryWithTimeout", function* (context: OrchestrationContext) {
    const retry = new df.RetryOptions(60_000, 10);
    retry.retryTimeoutInMilliseconds = 150_000;
    try {
      yield context.df.callActivityWithRetry("Boom", retry);
    } catch {
      return context.df.currentUtcDateTime.getTime();
    }
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

  df.app.activity("Echo", { handler: (value: unknown) => value });
  df.app.activity("SometimesFails", {
    handler: () => {
      if (state.failNext) {
        state.failNext = false;
        throw new Error("first run fails");
      }
      return "recovered";
    },
  });
  df.app.orchestration("WaitAfterWork", function* (context: OrchestrationContext) {
    yield context.df.callActivity("Echo", "work");
    const value: unknown = yield context.df.waitForExternalEvent("Go");
    return value;
  });
  df.app.orchestration("WeekTimer", function* (context: OrchestrationContext) {
    yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 7 * 24 * 3600 * 1000));
    return "woke";
  });
  df.app.orchestration("Generations", function* (context: OrchestrationContext) {
    const n = context.df.getInput<number>();
    if (n < 1000) context.df.continueAsNew(n + 1);
    return n;
  });
  df.app.orchestration("Rewindable", function* (context: OrchestrationContext) {
    return yield context.df.callActivity("SometimesFails");
  });
  df.app.orchestration("Drift", function* (context: OrchestrationContext) {
    yield context.df.callActivity(state.driftName, "x");
    yield context.df.waitForExternalEvent("Go");
    return "done";
  });
  // Keeps its task pending for as long as the test wants; a held activity also keeps the hub
  // busy, so virtual time cannot jump past the timers meanwhile.
  df.app.activity("Held", {
    handler: (label: string) =>
      new Promise<string>((resolve) => {
        heldRuns++;
        held.set(label, () => resolve(`released ${label}`));
      }),
  });
  // A pending timer and a pending activity, left over by a Task.any an event won, yielded again
  // in a new Task.any ("any") or Task.all ("all").
  df.app.orchestration("YieldAgain", function* (context: OrchestrationContext) {
    const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3600_000));
    const slow = context.df.callActivity("Held", context.df.instanceId);
    const first = context.df.waitForExternalEvent("First");
    const steps: unknown[] = [];
    steps.push((yield context.df.Task.any([first, deadline, slow])) === first ? "First" : "not First");
    if (context.df.getInput<string>() === "any") {
      const second = context.df.waitForExternalEvent("Second");
      const winner = yield context.df.Task.any([second, deadline, slow]);
      steps.push(winner === slow ? slow.result : "not slow");
      deadline.cancel();
    } else {
      steps.push(yield context.df.Task.all([slow, deadline, context.df.callActivity("Echo", "fresh")]));
    }
    steps.push(yield context.df.callActivity("Echo", "after"));
    return steps;
  });
  // The phone-verification loop: one expiry timer raced against each answer.
  df.app.orchestration("Challenge", function* (context: OrchestrationContext) {
    const expiry = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 90_000));
    for (let attempt = 1; attempt <= 3; attempt++) {
      const answer = context.df.waitForExternalEvent("Answer");
      const winner = yield context.df.Task.any([answer, expiry]);
      if (winner === expiry) return `expired after ${attempt - 1} wrong`;
      if (answer.result === "right") {
        expiry.cancel();
        return `verified at attempt ${attempt}`;
      }
    }
    expiry.cancel();
    return "too many wrong answers";
  });
  df.app.orchestration("EventCounter", function* (context: OrchestrationContext) {
    const seen = context.df.getInput<number>();
    if (seen >= 3) return seen;
    yield context.df.waitForExternalEvent("Tick");
    context.df.continueAsNew(seen + 1);
  });
}

/** Polls until `ready` holds: for states the hub cannot await, such as an activity still running. */
async function until(ready: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const giveUpAt = Date.now() + 5000;
  while (!(await ready())) {
    if (Date.now() > giveUpAt) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** The scheduling events of a history, as [type, EventId, Name]. */
function scheduled(history: HistoryEvent[]): [string, number, string?][] {
  return history
    .filter(
      (e) => e.EventType === HistoryEventType.TaskScheduled || e.EventType === HistoryEventType.TimerCreated,
    )
    .map((e) =>
      e.EventType === HistoryEventType.TaskScheduled
        ? ["TaskScheduled", e.EventId, e.Name]
        : ["TimerCreated", e.EventId],
    );
}

export function describePatterns(title: string, startHub: () => Promise<DurableTestHub>): void {
  describe(title, () => {
    let hub: DurableTestHub;
    beforeEach(async () => {
      hub = await startHub();
    });
    afterEach(async () => {
      // The worker stops only once its activities end; a failed test may have left one held.
      for (const release of held.values()) release();
      held.clear();
      await hub.stop();
    });

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

    it("stops retrying once the retry timeout has passed", async () => {
      const started = hub.clock.now().getTime();
      const id = await hub.startOrchestration("RetryWithTimeout");
      const status = await hub.waitForCompletion(id);
      // 60 s between attempts and a 150 s budget: three attempts, not ten.
      expect((status.output as number) - started).toBeLessThan(5 * 60_000);
      const history = await hub.getHistory(id);
      const ran = history.filter((e) => e.EventType === 6 && !e.Reason.includes("retry timeout"));
      expect(ran).toHaveLength(3);
    });

    it("completes a 7-day timer in well under a second of wall time", async () => {
      const wallStart = Date.now();
      const id = await hub.startOrchestration("WeekTimer");
      expect((await hub.waitForCompletion(id)).output).toBe("woke");
      expect(Date.now() - wallStart).toBeLessThan(1000);
    });

    it("delivers an event raised before the orchestration waits for it", async () => {
      const id = await hub.startOrchestration("WaitAfterWork");
      await hub.raiseEvent(id, "Go", { early: true });
      expect((await hub.waitForCompletion(id)).output).toEqual({ early: true });
    });

    it("continues as new for 1,000 generations", async () => {
      const id = await hub.startOrchestration("Generations", 0);
      const status = await hub.waitForCompletion(id, 60_000);
      expect(status.output).toBe(1000);
      const history = await hub.getHistory(id);
      expect(history.filter((e) => e.EventType === 0)).toHaveLength(1);
    });

    it("fans out 1,000 activities", async () => {
      const id = await hub.startOrchestration("FanOut", 1000);
      expect((await hub.waitForCompletion(id, 60_000)).output).toBe(((999 * 1000) / 2) * 10);
    });

    it("carries unprocessed events over continue-as-new", async () => {
      const id = await hub.startOrchestration("EventCounter", 0);
      await hub.raiseEvent(id, "Tick");
      await hub.raiseEvent(id, "Tick");
      await hub.raiseEvent(id, "Tick");
      expect((await hub.waitForCompletion(id)).output).toBe(3);
    });

    it("terminates a waiting instance with the reason as output", async () => {
      const id = await hub.startOrchestration("WaitAfterWork");
      await hub.whenIdle();
      await hub.client.terminate(id, "no longer needed");
      const status = await hub.waitForCompletion(id);
      expect(status.runtimeStatus).toBe("Terminated");
      expect(status.output).toBe("no longer needed");
      await expect(hub.raiseEvent(id, "Go")).rejects.toMatchObject({ gone: true });
    });

    it("holds events while suspended and goes on after resume", async () => {
      const id = await hub.startOrchestration("WaitAfterWork");
      await hub.whenIdle();
      await hub.client.suspend(id, "pause");
      await hub.whenIdle();
      expect((await hub.getStatus(id))?.runtimeStatus).toBe("Suspended");
      await hub.raiseEvent(id, "Go", 42);
      await hub.whenIdle();
      expect((await hub.getStatus(id))?.runtimeStatus).toBe("Suspended");
      await hub.client.resume(id, "go on");
      expect((await hub.waitForCompletion(id)).output).toBe(42);
    });

    it("rewinds a failed instance so it runs the failed activity again", async () => {
      state.failNext = true;
      const id = await hub.startOrchestration("Rewindable");
      expect((await hub.waitForCompletion(id)).runtimeStatus).toBe("Failed");
      await hub.client.rewind(id, "fixed");
      await hub.whenIdle();
      const status = await hub.waitForCompletion(id);
      expect(status.runtimeStatus).toBe("Completed");
      expect(status.output).toBe("recovered");
    });

    it("restarts an instance with a new id or the same id", async () => {
      const id = await hub.startOrchestration("FanOut", 3, "restart-me");
      await hub.waitForCompletion(id);
      const newId = await hub.client.restart(id, true);
      expect(newId).not.toBe(id);
      expect((await hub.waitForCompletion(newId)).output).toBe(30);
      expect(await hub.client.restart(id, false)).toBe(id);
      await hub.whenIdle();
      expect((await hub.waitForCompletion(id)).output).toBe(30);
    });

    it("refuses to start an id that is still running", async () => {
      await hub.startOrchestration("WaitAfterWork", undefined, "busy");
      await expect(hub.startOrchestration("WaitAfterWork", undefined, "busy")).rejects.toThrow(
        /already exists/,
      );
    });

    it("purges an instance and queries by status, prefix and page", async () => {
      for (let i = 0; i < 5; i++)
        await hub.waitForCompletion(await hub.startOrchestration("FanOut", 1, `q-${i}`));
      await hub.startOrchestration("WaitAfterWork", undefined, "q-waiting");
      await hub.whenIdle();
      const completed = await hub.client.query({ runtimeStatus: ["Completed"], instanceIdPrefix: "q-" });
      expect(completed.instances.map((s) => s.instanceId).sort()).toEqual([
        "q-0",
        "q-1",
        "q-2",
        "q-3",
        "q-4",
      ]);
      const first = await hub.client.query({ instanceIdPrefix: "q-", pageSize: 4 });
      expect(first.instances).toHaveLength(4);
      const second = await hub.client.query({
        instanceIdPrefix: "q-",
        pageSize: 4,
        continuationToken: first.continuationToken,
      });
      expect(second.instances).toHaveLength(2);
      expect(second.continuationToken).toBeUndefined();
      expect(await hub.client.purge("q-0")).toBe(1);
      expect(await hub.client.getInstance("q-0")).toBeUndefined();
      expect(await hub.client.purgeBy({ createdTimeFrom: new Date(0).toISOString() })).toBeGreaterThanOrEqual(
        4,
      );
      expect((await hub.client.getInstance("q-waiting"))?.runtimeStatus).toBe("Running");
    });

    it("yields a pending timer and activity again in a new Task.any without scheduling them again", async () => {
      heldRuns = 0;
      const id = await hub.startOrchestration("YieldAgain", "any", "again-any");
      await until(() => held.has(id), "the held activity to run");
      await hub.raiseEvent(id, "First");
      await until(
        async () => (await hub.getHistory(id)).some((e) => e.EventType === HistoryEventType.EventRaised),
        "the event to be taken",
      );
      held.get(id)?.();
      const status = await hub.waitForCompletion(id);
      expect(status.runtimeStatus).toBe("Completed");
      expect(status.output).toEqual(["First", "released again-any", "after"]);
      expect(heldRuns).toBe(1);
      expect(scheduled(await hub.getHistory(id))).toEqual([
        ["TimerCreated", 0],
        ["TaskScheduled", 1, "Held"],
        ["TaskScheduled", 2, "Echo"],
      ]);
    });

    it("yields a pending timer and activity again in a new Task.all without scheduling them again", async () => {
      heldRuns = 0;
      const id = await hub.startOrchestration("YieldAgain", "all", "again-all");
      await until(() => held.has(id), "the held activity to run");
      await hub.raiseEvent(id, "First");
      await until(
        async () => (await hub.getHistory(id)).some((e) => e.EventType === HistoryEventType.EventRaised),
        "the event to be taken",
      );
      held.get(id)?.();
      const status = await hub.waitForCompletion(id);
      expect(status.runtimeStatus).toBe("Completed");
      expect(status.output).toEqual(["First", ["released again-all", null, "fresh"], "after"]);
      expect(heldRuns).toBe(1);
      const history = await hub.getHistory(id);
      expect(scheduled(history)).toEqual([
        ["TimerCreated", 0],
        ["TaskScheduled", 1, "Held"],
        ["TaskScheduled", 2, "Echo"],
        ["TaskScheduled", 3, "Echo"],
      ]);
      expect(history.filter((e) => e.EventType === HistoryEventType.TimerFired)).toHaveLength(1);
    });

    it("races one timer against several answers: a wrong one, then the right one", async () => {
      const id = await hub.startOrchestration("Challenge");
      await hub.whenIdle();
      await hub.raiseEvent(id, "Answer", "wrong");
      await hub.whenIdle();
      await hub.raiseEvent(id, "Answer", "right");
      const status = await hub.waitForCompletion(id);
      expect(status.runtimeStatus).toBe("Completed");
      expect(status.output).toBe("verified at attempt 2");
      expect(scheduled(await hub.getHistory(id))).toEqual([["TimerCreated", 0]]);
    });

    it("races one timer against several answers: a wrong one, then the timer", async () => {
      const id = await hub.startOrchestration("Challenge");
      await hub.whenIdle();
      await hub.raiseEvent(id, "Answer", "wrong");
      const status = await hub.waitForCompletion(id);
      expect(status.output).toBe("expired after 1 wrong");
      const history = await hub.getHistory(id);
      expect(scheduled(history)).toEqual([["TimerCreated", 0]]);
      expect(history.filter((e) => e.EventType === HistoryEventType.TimerFired)).toHaveLength(1);
    });

    it("fails an instance whose code no longer matches its history", async () => {
      state.driftName = "Echo";
      const id = await hub.startOrchestration("Drift");
      await hub.whenIdle();
      // History now holds TaskScheduled 'Echo' at position 0; the code asks for 'SayHello'.
      state.driftName = "SayHello";
      try {
        await hub.raiseEvent(id, "Go");
        const status = await hub.waitForCompletion(id);
        expect(status.runtimeStatus).toBe("Failed");
        expect(String(status.output)).toMatch(/[Nn]on-?[Dd]eterministic/);
        expect(String(status.output)).toContain("Echo");
        expect(String(status.output)).toContain("SayHello");
      } finally {
        state.driftName = "Echo";
      }
    });
  });
}
