/**
 * Our orchestration replay against durable-functions 3.5.0: the same orchestrator, the same trigger
 * at every episode of a run, and the exact same OrchestratorState (or failure text) back.
 */
import { SchemaVersion } from "../../src/protocol";
import type { Task } from "../../src/sdk/orchestration/types";
import type { DurableApi, Orchestrator } from "./support/apis";
import { expectSameAtEveryEpisode, finalOutcome } from "./support/differential";

const ALL_SCHEMAS = [SchemaVersion.V1, SchemaVersion.V2, SchemaVersion.V3, SchemaVersion.V4];

describe.each(ALL_SCHEMAS)("schema %s", (schema) => {
  it("chains activities with string, object and missing inputs", async () => {
    const chain = (): Orchestrator =>
      function* (context) {
        const a = yield context.df.callActivity("Hello", "Tokyo");
        const b = yield context.df.callActivity("Hello", { city: "Seattle", n: 1 });
        const c = yield context.df.callActivity("NoInput");
        return [a, b, c];
      };
    const episodes = await expectSameAtEveryEpisode(chain, {
      schema,
      world: { activity: (name, input) => ({ result: `${name}:${JSON.stringify(input)}` }) },
    });
    expect(episodes).toHaveLength(4);
    const final = finalOutcome(episodes);
    expect(final.kind === "state" && final.state.isDone).toBe(true);
  });

  it("fans out and in, one completion per episode", async () => {
    const fanOut = (): Orchestrator =>
      function* (context) {
        const tasks: Task[] = [];
        for (let i = 0; i < 5; i++) {
          tasks.push(context.df.callActivity("Work", i));
        }
        const results = (yield context.df.Task.all(tasks)) as number[];
        return results.reduce((sum, value) => sum + value, 0);
      };
    const episodes = await expectSameAtEveryEpisode(fanOut, {
      schema,
      world: { activity: (_name, input) => ({ result: (input as number) * 10 }) },
    });
    expect(episodes).toHaveLength(6);
  });

  it("fans out to 200 activities completed in one batch", async () => {
    const fanOut = (): Orchestrator =>
      function* (context) {
        const tasks = Array.from({ length: 200 }, (_, i) => context.df.callActivity("Work", i));
        const results = (yield context.df.Task.all(tasks)) as number[];
        return results.length;
      };
    await expectSameAtEveryEpisode(fanOut, {
      schema,
      batch: true,
      world: { activity: () => ({ result: 1 }) },
    });
  });

  it("races an activity against a timer and cancels the loser", async () => {
    const race = (): Orchestrator =>
      function* (context) {
        const deadline = new Date(context.df.currentUtcDateTime.getTime() + 60_000);
        const timer = context.df.createTimer(deadline);
        const work = context.df.callActivity("Slow");
        const winner = yield context.df.Task.any([work, timer]);
        if (winner === work) {
          timer.cancel();
          return ["work", work.result, timer.isCanceled];
        }
        return ["timer"];
      };
    await expectSameAtEveryEpisode(race, { schema, world: { activity: () => ({ result: "done" }) } });
  });
});

describe("registered activities and orchestrations", () => {
  it.each([SchemaVersion.V1, SchemaVersion.V3])(
    "schedules them, with and without retry (schema %s)",
    async (schema) => {
      const orchestrator = (api: DurableApi): Orchestrator =>
        function* () {
          const hello = api.activity("Hello");
          const child = api.orchestration("Child");
          const a: unknown = yield hello("plain");
          const b: unknown = yield hello({ x: 1 }).withRetry(new api.RetryOptions(100, 2));
          const c: unknown = yield child("in", "child-id");
          const d: unknown = yield child().withRetry(new api.RetryOptions(100, 2));
          const scheduled = hello("once");
          yield scheduled;
          let message = "";
          try {
            scheduled.withRetry(new api.RetryOptions(100, 2));
          } catch (error) {
            message = (error as Error).message;
          }
          return [a, b, c, d, message];
        };
      await expectSameAtEveryEpisode(orchestrator, {
        schema,
        world: {
          activity: (name, input, attempt) =>
            attempt === 1 && typeof input === "object"
              ? { error: { message: "first try fails" } }
              : { result: name },
          subOrchestration: (name, _input, id) => ({ result: [name, id] }),
        },
      });
    },
  );
});

describe("a 1,000-way fan-out", () => {
  it("matches at every episode", async () => {
    const fanOut = (): Orchestrator =>
      function* (context) {
        const tasks = Array.from({ length: 1000 }, (_, i) => context.df.callActivity("Work", i));
        const results = (yield context.df.Task.all(tasks)) as number[];
        return results.reduce((sum, value) => sum + value, 0);
      };
    const episodes = await expectSameAtEveryEpisode(fanOut, {
      batch: true,
      world: { activity: (_name, input) => ({ result: input }) },
    });
    const final = finalOutcome(episodes);
    expect(final.kind === "state" && final.state.output).toBe(499500);
  });
});
