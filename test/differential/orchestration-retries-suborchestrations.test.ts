/** Retried activities and sub-orchestrations, against durable-functions 3.5.0. */
import { SchemaVersion } from "../../src/protocol";
import type { FailureDetails } from "../../src/protocol";
import type { DurableApi, Orchestrator } from "./support/apis";
import { expectSameAtEveryEpisode, finalOutcome } from "./support/differential";
import type { TaskOutcome } from "./support/fake-host";

const ALL_SCHEMAS = [SchemaVersion.V1, SchemaVersion.V2, SchemaVersion.V3, SchemaVersion.V4];

const failure = (message: string, failureDetails?: FailureDetails): TaskOutcome => ({
  error: {
    message: `Activity function failed: ${message}`,
    details: `Error: ${message}\n    at work`,
    failureDetails,
  },
});

const details = (message: string): FailureDetails => ({
  ErrorType: "RangeError",
  ErrorMessage: message,
  StackTrace: `RangeError: ${message}\n    at activity`,
  InnerFailure: {
    ErrorType: "Error",
    ErrorMessage: "inner",
    StackTrace: null,
    InnerFailure: null,
    IsNonRetriable: false,
    Properties: null,
  },
  IsNonRetriable: false,
  Properties: { code: 42 },
});

describe.each(ALL_SCHEMAS)("schema %s", (schema) => {
  it("retries an activity until it succeeds", async () => {
    const retried = (api: DurableApi): Orchestrator =>
      function* (context) {
        const options = new api.RetryOptions(1000, 3);
        options.backoffCoefficient = 2;
        const result: unknown = yield context.df.callActivityWithRetry("Flaky", options, "in");
        return result;
      };
    const episodes = await expectSameAtEveryEpisode(retried, {
      schema,
      world: {
        activity: (_name, _input, attempt) => (attempt < 3 ? failure(`try ${attempt}`) : { result: "ok" }),
      },
    });
    // 1 start, then per failure: failure, timer; then the success.
    expect(episodes).toHaveLength(6);
  });

  it("fails after the last attempt's trailing timer", async () => {
    const retried = (api: DurableApi): Orchestrator =>
      function* (context) {
        return yield context.df.callActivityWithRetry("Broken", new api.RetryOptions(500, 2));
      };
    const episodes = await expectSameAtEveryEpisode(retried, {
      schema,
      world: {
        activity: (_name, _input, attempt) =>
          failure(`try ${attempt}`, attempt === 2 ? details("last") : undefined),
      },
    });
    expect(finalOutcome(episodes).kind).toBe("failure");
  });

  it("retries inside a fan-out and catches the error", async () => {
    const fanOut = (api: DurableApi): Orchestrator =>
      function* (context) {
        const options = new api.RetryOptions(100, 2);
        try {
          yield context.df.Task.all([
            context.df.callActivityWithRetry("A", options, 1),
            context.df.callActivity("B", 2),
            context.df.callActivityWithRetry("C", options, 3),
          ]);
          return "all ok";
        } catch (error) {
          return ["caught", (error as Error).message, error instanceof api.TaskFailedError];
        }
      };
    await expectSameAtEveryEpisode(fanOut, {
      schema,
      world: {
        activity: (name, _input, attempt) =>
          name === "C"
            ? failure("c fails", details("c"))
            : name === "A" && attempt === 1
              ? failure("a once")
              : { result: name },
      },
    });
  });

  it("calls sub-orchestrations with and without instance ids and versions", async () => {
    const parent = (): Orchestrator =>
      function* (context) {
        const a: unknown = yield context.df.callSubOrchestrator("Child", { n: 1 });
        const b: unknown = yield context.df.callSubOrchestrator("Child", "two", "child-two");
        const c: unknown = yield context.df.callSubOrchestrator("Child", 3, "child-three", "2.0");
        const all: unknown = yield context.df.Task.all([
          context.df.callSubOrchestrator("Child", 4),
          context.df.callSubOrchestrator("Other", 5, "child-five"),
        ]);
        return [a, b, c, all];
      };
    await expectSameAtEveryEpisode(parent, {
      schema,
      world: { subOrchestration: (name, input, instanceId) => ({ result: { name, input, instanceId } }) },
    });
  });

  it("retries a sub-orchestration, and reports its final failure", async () => {
    const parent = (api: DurableApi): Orchestrator =>
      function* (context) {
        const options = new api.RetryOptions(2000, 3);
        options.maxRetryIntervalInMilliseconds = 3000;
        options.backoffCoefficient = 5;
        options.retryTimeoutInMilliseconds = 60000;
        const first: unknown = yield context.df.callSubOrchestratorWithRetry(
          "Child",
          options,
          "x",
          "fixed-id",
        );
        const second: unknown = yield context.df.callSubOrchestratorWithRetry("Child", options, "y");
        return [first, second];
      };
    const episodes = await expectSameAtEveryEpisode(parent, {
      schema,
      world: {
        subOrchestration: (_name, input, _id, attempt) =>
          input === "x" && attempt < 2
            ? {
                error: { message: "Orchestrator function 'Child' failed: nope", details: "d" },
              }
            : input === "y"
              ? {
                  error: {
                    message: `Orchestrator function 'Child' failed: attempt ${attempt}`,
                    details: "d",
                  },
                }
              : { result: attempt },
      },
    });
    expect(finalOutcome(episodes).kind).toBe("failure");
  });
});
