/** Failures, continue-as-new and programming mistakes, against durable-functions 3.5.0. */
import { SchemaVersion } from "../../src/protocol";
import type { FailureDetails } from "../../src/protocol";
import type { DurableApi, Orchestrator } from "./support/apis";
import { expectSameAtEveryEpisode, finalOutcome } from "./support/differential";

const ALL_SCHEMAS = [SchemaVersion.V1, SchemaVersion.V2, SchemaVersion.V3, SchemaVersion.V4];

const structured: FailureDetails = {
  ErrorType: "TypeError",
  ErrorMessage: "bad input",
  StackTrace: "TypeError: bad input\n    at activity (app.js:1:1)",
  InnerFailure: null,
  IsNonRetriable: true,
  Properties: { code: "E42", retry: false },
};

describe.each(ALL_SCHEMAS)("schema %s", (schema) => {
  it("fails when an activity failure is not caught", async () => {
    const orchestrator = (): Orchestrator =>
      function* (context) {
        context.df.setCustomStatus({ step: 1 });
        yield context.df.callActivity("Ok");
        yield context.df.callActivity("Boom");
        return "not reached";
      };
    const episodes = await expectSameAtEveryEpisode(orchestrator, {
      schema,
      world: {
        activity: (name) =>
          name === "Boom"
            ? {
                error: { message: "Activity function 'Boom' failed: boom", details: "Error: boom\n    at x" },
              }
            : { result: 1 },
      },
    });
    const final = finalOutcome(episodes);
    expect(final.kind).toBe("failure");
  });

  it("reports FailureDetails of a TaskFailedError, caught and uncaught", async () => {
    const orchestrator = (api: DurableApi): Orchestrator =>
      function* (context) {
        try {
          yield context.df.callActivity("Structured");
        } catch (error) {
          const failed = error as InstanceType<DurableApi["TaskFailedError"]>;
          context.df.setCustomStatus({
            isTaskFailed: error instanceof api.TaskFailedError,
            message: failed.message,
            name: failed.name,
            taskName: failed.taskName,
            taskId: failed.taskId,
            type: failed.failureDetails.errorType,
            causedBy: failed.failureDetails.isCausedBy("TypeError"),
            properties: failed.failureDetails.properties,
            stack: failed.stack,
          });
        }
        yield context.df.callSubOrchestrator("Child");
      };
    const episodes = await expectSameAtEveryEpisode(orchestrator, {
      schema,
      world: {
        activity: () => ({ error: { message: "ignored", failureDetails: structured } }),
        subOrchestration: () => ({
          error: {
            message: "Orchestrator function 'Child' failed",
            failureDetails: {
              ...structured,
              InnerFailure: { ...structured, ErrorType: "Inner", InnerFailure: null },
            },
          },
        }),
      },
    });
    const final = finalOutcome(episodes);
    expect(final.kind === "failure" && final.state.failureDetails?.ErrorType).toBe("TypeError");
  });

  it.each([
    ["an Error", () => new Error("user says no")],
    ["a string", () => "plain string"],
    ["an object with a message", () => ({ message: "object message" })],
    ["null", () => null],
  ])("fails when the code throws %s", async (_label, makeError) => {
    const orchestrator = (): Orchestrator =>
      function* (context) {
        yield context.df.callActivity("Before");
        throw makeError();
      };
    const episodes = await expectSameAtEveryEpisode(orchestrator, { schema });
    expect(finalOutcome(episodes).kind).toBe("failure");
  });

  it("continues as new with object and string inputs", async () => {
    const orchestrator = (): Orchestrator =>
      function* (context) {
        const input = context.df.getInput<{ n: number } | string | null>();
        const n = typeof input === "object" && input !== null ? input.n : 0;
        yield context.df.callActivity("Tick", n);
        if (n < 2) {
          context.df.continueAsNew({ n: n + 1 });
        } else if (typeof input !== "string") {
          context.df.continueAsNew("as text");
          // Nothing recorded after continueAsNew.
          context.df.signalEntity({ name: "ignored", key: "k" } as never, "op");
          yield context.df.callActivity("NotScheduled");
        }
        return input;
      };
    const episodes = await expectSameAtEveryEpisode(orchestrator, {
      schema,
      input: { n: 0 },
      maxExecutions: 5,
    });
    expect(new Set(episodes.map((e) => e.execution)).size).toBe(5);
  });

  it("fails on a yield of something that is not a task", async () => {
    const values = [undefined, 42, "text", { not: "a task" }];
    for (const value of values) {
      const orchestrator = (): Orchestrator =>
        function* () {
          yield value;
        };
      const episodes = await expectSameAtEveryEpisode(orchestrator, { schema });
      expect(finalOutcome(episodes).kind).toBe("failure");
    }
  });

  it("reports programming mistakes with the official messages", async () => {
    const orchestrator = (api: DurableApi): Orchestrator =>
      function* (context) {
        const messages: string[] = [];
        const attempts: (() => unknown)[] = [
          () => context.df.Task.all([]),
          () => context.df.Task.any([{ isCompleted: false, isFaulted: false }]),
          () => context.df.callActivity(""),
          () => context.df.callActivity(5 as never),
          () => context.df.callActivityWithRetry("A", { firstRetryIntervalInMilliseconds: 1 } as never),
          () => context.df.callSubOrchestrator(""),
          () => context.df.callSubOrchestrator("S", undefined, "   "),
          () => context.df.createTimer("tomorrow" as never),
          () => context.df.waitForExternalEvent(""),
          () => context.df.callEntity(undefined as never, "op"),
          () => context.df.callEntity(new api.EntityId("e", "k"), ""),
          () => context.df.signalEntity(undefined as never, "op"),
          () => new api.RetryOptions(0, 1),
          () => new api.EntityId("", "k"),
        ];
        for (const attempt of attempts) {
          try {
            attempt();
            messages.push("no error");
          } catch (error) {
            messages.push(`${(error as Error).constructor.name}: ${(error as Error).message}`);
          }
        }
        const done = context.df.callActivity("A");
        yield done;
        const again: unknown = yield done;
        const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
        yield timer;
        try {
          timer.cancel();
        } catch (error) {
          messages.push((error as Error).message);
        }
        return [messages, again];
      };
    await expectSameAtEveryEpisode(orchestrator, { schema, world: { activity: () => ({ result: "a" }) } });
  });
});

describe("trigger handling", () => {
  it("uses the schema the trigger offers, falling back to V4", async () => {
    for (const offered of [5, -1]) {
      const orchestrator = (): Orchestrator =>
        function* (context) {
          yield context.df.callActivity("A");
        };
      // An unknown version is sent as the new field.
      await expectSameAtEveryEpisode(orchestrator, { schema: offered as SchemaVersion });
    }
  });
});
