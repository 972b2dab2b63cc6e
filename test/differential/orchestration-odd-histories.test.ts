/**
 * Hand-written histories a well-behaved host would not send (no scheduling events, completions
 * before anyone waits, duplicates, clocks going backwards, broken payloads...): both workers must
 * still answer identically. Scheduling events are left out, as the wire contract allows, so our
 * non-determinism checks stay out of the way.
 */
import { SchemaVersion } from "../../src/protocol";
import { HistoryBuilder, triggerFor, type TriggerOptions } from "./support/history-builder";
import { officialHandler, oursHandler, type DurableApi, type Orchestrator } from "./support/apis";
import { comparable } from "./support/differential";
import { invokeHandler } from "./support/worker-outcome";

async function expectSame(
  make: (api: DurableApi) => Orchestrator,
  history: HistoryBuilder,
  options: TriggerOptions = {},
): Promise<ReturnType<typeof comparable>> {
  const trigger = triggerFor(history.build(), options);
  const official = comparable(await invokeHandler(officialHandler(make), trigger));
  const ours = comparable(await invokeHandler(oursHandler(make), trigger));
  expect(ours).toEqual(official);
  return official;
}

const start = (input?: unknown): HistoryBuilder =>
  new HistoryBuilder().episode(0).executionStarted({ input });

const twoActivities = (): Orchestrator =>
  function* (context) {
    const a: unknown = yield context.df.callActivity("A");
    const b: unknown = yield context.df.callActivity("B");
    return [a, b, context.df.isReplaying, context.df.currentUtcDateTime.toISOString()];
  };

describe("odd histories", () => {
  it("completions that arrive before their task is yielded", async () => {
    const result = await expectSame(twoActivities, start().taskCompleted(1, "b").taskCompleted(0, "a"));
    expect(result.text).toContain('"isDone":true');
  });

  it("duplicate completions", async () => {
    await expectSame(
      twoActivities,
      start().orchestratorCompleted().episode().taskCompleted(0, "a").taskCompleted(0, "again"),
    );
  });

  it("an episode clock that goes backwards", async () => {
    await expectSame(
      twoActivities,
      start().orchestratorCompleted().episode(-5000).taskCompleted(0, 1).episode(-5000).taskCompleted(1, 2),
    );
  });

  it("an external event named like a sequence number", async () => {
    await expectSame(
      twoActivities,
      start().orchestratorCompleted().episode().eventRaised("0", "event payload"),
    );
  });

  it("a TaskCompleted without Result", async () => {
    await expectSame(
      twoActivities,
      start().raw({
        EventType: 5,
        EventId: -1,
        IsPlayed: false,
        Timestamp: "2024-01-01T00:00:01Z",
        TaskScheduledId: 0,
      }),
    );
  });

  it("a completion whose id is not a number or a string", async () => {
    await expectSame(
      twoActivities,
      start().raw({
        EventType: 5,
        EventId: -1,
        IsPlayed: false,
        Timestamp: "2024-01-01T00:00:01Z",
        Result: "1",
      }),
    );
  });

  it("a ContinueAsNew event in the middle of the history", async () => {
    await expectSame(
      twoActivities,
      start().taskCompleted(0, "old").continuedAsNew().executionStarted().taskCompleted(0, "new"),
    );
  });

  it("IsPlayed on the event that resumes the code", async () => {
    const history = start().orchestratorCompleted().episode().taskCompleted(0, "a");
    const trigger = triggerFor(history.build());
    trigger.history[trigger.history.length - 1].IsPlayed = true;
    const official = comparable(await invokeHandler(officialHandler(twoActivities), trigger));
    const ours = comparable(await invokeHandler(oursHandler(twoActivities), trigger));
    expect(ours).toEqual(official);
  });

  it("a thrown undefined, which the official worker does not take for a failure", async () => {
    const throwsUndefined = (): Orchestrator =>
      function* (context) {
        yield context.df.callActivity("A");
        throw undefined;
      };
    await expectSame(throwsUndefined, start().taskCompleted(0, "a").taskCompleted(1, "b"));
  });

  it("the same pending task yielded twice and inside two compounds", async () => {
    const reuse = (): Orchestrator =>
      function* (context) {
        const shared = context.df.callActivity("Shared");
        const other = context.df.callActivity("Other");
        const first = context.df.Task.all([shared, other]);
        const second = context.df.Task.any([shared, context.df.waitForExternalEvent("E")]);
        const winner: unknown = yield second;
        const all: unknown = yield first;
        return [winner === shared, all];
      };
    await expectSame(
      reuse,
      start().orchestratorCompleted().episode().taskCompleted(0, "s").taskCompleted(1, "o"),
    );
  });

  it("a failed child winning a Task.any", async () => {
    const race = (): Orchestrator =>
      function* (context) {
        const failing = context.df.callActivity("Fails");
        const winner = (yield context.df.Task.any([failing, context.df.callActivity("Slow")])) as {
          isFaulted: boolean;
          result: Error;
        };
        return [winner === failing, winner.isFaulted, winner.result.message];
      };
    await expectSame(race, start().orchestratorCompleted().episode().taskFailed(0, "reason", "details"));
  });

  it("an entity answer that is not an object", async () => {
    const call = (api: DurableApi): Orchestrator =>
      function* (context) {
        return yield context.df.callEntity(new api.EntityId("e", "k"), "op");
      };
    await expectSame(
      call,
      start().eventSent(0, "@e@k", "op", { id: "r1" }).orchestratorCompleted().episode().eventRaised("r1", 5),
    );
  });

  it("a lock answer under a request id the host did not announce", async () => {
    const locks = (api: DurableApi): Orchestrator =>
      function* (context) {
        const lock: unknown = yield context.df.lock(new api.EntityId("e", "k"));
        return lock !== undefined;
      };
    await expectSame(locks, start().orchestratorCompleted().episode().eventRaised("0", {}), {
      schema: SchemaVersion.V4,
    });
  });

  it("an activity result that holds Timestamp fields", async () => {
    await expectSame(
      twoActivities,
      start().taskCompleted(0, { Timestamp: "2024-01-01T00:00:00Z" }).taskCompleted(1, null),
    );
  });
});
