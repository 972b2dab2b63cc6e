import { OUT_OF_PROC_DATA_LABEL, type FailureDetails } from "../../../../src/protocol";
import { TaskFailedError } from "../../../../src/sdk/errors/task-failed-error";
import { invoke, replay, replayFailure, started, triggerFor, type Orchestrator } from "./helpers";

const structured: FailureDetails = {
  ErrorType: "RangeError",
  ErrorMessage: "too big",
  StackTrace: "RangeError: too big\n    at activity",
  InnerFailure: {
    ErrorType: "Error",
    ErrorMessage: "cause",
    StackTrace: null,
    InnerFailure: null,
    IsNonRetriable: false,
    Properties: null,
  },
  IsNonRetriable: false,
  Properties: { limit: 10 },
};

describe("orchestration failures", () => {
  const callsA: Orchestrator = function* (context) {
    context.df.setCustomStatus("working");
    yield context.df.callActivity("A");
  };

  it("fails with Reason and Details when an activity failure is not caught", async () => {
    const { error, state } = await replayFailure(
      callsA,
      started()
        .taskScheduled(0, "A")
        .orchestratorCompleted()
        .episode()
        .taskFailed(0, "Activity function 'A' failed: boom", "stack"),
    );
    expect(state).toEqual({
      isDone: false,
      actions: [[{ functionName: "A", actionType: 0 }]],
      schemaVersion: 2,
      error: "Activity function 'A' failed: boom \n stack",
      customStatus: "working",
    });
    // The wire form: the text `false`, the label, the state JSON; no stack.
    expect(error.message).toBe(`false${OUT_OF_PROC_DATA_LABEL}${JSON.stringify(state)}`);
    expect(error.stack).toBeUndefined();
  });

  it("throws a TaskFailedError with the FailureDetails the host sent, and reports them when uncaught", async () => {
    let caught: unknown;
    const catches: Orchestrator = function* (context) {
      try {
        yield context.df.callActivity("A");
      } catch (error) {
        caught = error;
        throw error;
      }
    };
    const { state } = await replayFailure(
      catches,
      started()
        .taskScheduled(0, "A")
        .orchestratorCompleted()
        .episode()
        .taskFailed(0, "ignored", "ignored", structured),
    );
    expect(caught).toBeInstanceOf(TaskFailedError);
    const failed = caught as TaskFailedError;
    expect(failed).toMatchObject({
      message: "RangeError: too big",
      name: "TaskFailedError",
      taskName: "A",
      taskId: 0,
    });
    expect(failed.stack).toBe(structured.StackTrace);
    expect(failed.failureDetails.isCausedBy("Error")).toBe(true);
    expect(failed.failureDetails.isCausedBy("TypeError")).toBe(false);
    expect(state.error).toBe("RangeError: too big");
    expect(state.failureDetails).toEqual({
      ErrorType: "RangeError",
      ErrorMessage: "too big",
      StackTrace: structured.StackTrace,
      IsNonRetriable: false,
      Properties: { limit: 10 },
      InnerFailure: { ErrorType: "Error", ErrorMessage: "cause", IsNonRetriable: false },
    });
  });

  it("fails with the message of what the code throws", async () => {
    const { state } = await replayFailure(function* () {
      throw new Error("user says no");
    }, started());
    expect(state.error).toBe("user says no");
  });

  it("fails without an error text when the code throws something without a message", async () => {
    const { state } = await replayFailure(function* () {
      throw "a string";
    }, started());
    expect(state).not.toHaveProperty("error");
  });

  it("refuses to yield something that is not a task", async () => {
    const { state } = await replayFailure(function* (context) {
      yield context.df.signalEntity({ name: "e", key: "k" } as never, "op");
    }, started());
    expect(state.error).toContain("Orchestration yielded data of type undefined");
    expect(state.error).toContain('"fire-and-forget API" such as signalEntity or continueAsNew');
  });

  it("rejects a failure event it cannot read", async () => {
    const history = started().taskScheduled(0, "A").orchestratorCompleted().episode().raw({
      EventType: 6,
      EventId: -1,
      IsPlayed: false,
      Timestamp: "2024-01-01T00:00:05Z",
      TaskScheduledId: 0,
    });
    await expect(replay(callsA, history)).rejects.toThrow(
      "Task with ID 0 failed but we could not parse its exception data.",
    );
  });

  it("passes a handler that is not a generator off as the official worker does", async () => {
    const notAGenerator = (() => 5) as unknown as Orchestrator;
    const { state } = await replayFailure(notAGenerator, started());
    expect(state.error).toBe("this.generator.next is not a function");
  });
});

describe("the trigger", () => {
  it("is accepted as JSON text", async () => {
    const state = await invoke(callsNothing(), JSON.stringify(triggerFor(started().build())));
    expect(state.isDone).toBe(true);
  });

  it("must carry history, instanceId, isReplaying and upperSchemaVersion", async () => {
    const { upperSchemaVersion: _dropped, ...incomplete } = triggerFor(started().build());
    await expect(invoke(callsNothing(), incomplete)).rejects.toThrow(
      "Could not find an orchestrationClient binding on context.",
    );
    await expect(invoke(callsNothing(), "null")).rejects.toThrow(
      "Could not find an orchestrationClient binding on context.",
    );
  });

  it("must hold an OrchestratorStarted event", async () => {
    await expect(invoke(callsNothing(), triggerFor([]))).rejects.toThrow(
      "The orchestrator can not execute without an OrchestratorStarted event.",
    );
  });

  it.each([
    [{ upperSchemaVersion: 0 }, 0],
    [{ upperSchemaVersion: 0, upperSchemaVersionNew: 0 }, 0],
    [{ upperSchemaVersion: 1 }, 1],
    [{ upperSchemaVersion: 1, upperSchemaVersionNew: 2 }, 2],
    [{ upperSchemaVersion: 1, upperSchemaVersionNew: 3 }, 3],
    [{ upperSchemaVersion: 1, upperSchemaVersionNew: 9 }, 3],
    [{ upperSchemaVersion: "2" }, 3],
  ])("negotiates the schema from %p", async (fields, expected) => {
    const trigger = { ...triggerFor(started().build()), upperSchemaVersionNew: undefined, ...fields };
    expect((await invoke(callsNothing(), trigger)).schemaVersion).toBe(expected);
  });

  it("does not change a trigger object it is given", async () => {
    const trigger = triggerFor(started().build(), { input: { Timestamp: "2024-01-01T00:00:00Z" } });
    const copy = JSON.parse(JSON.stringify(trigger)) as unknown;
    await invoke(callsNothing(), trigger);
    expect(trigger).toEqual(copy);
  });
});

function callsNothing(): Orchestrator {
  return function* () {
    return "nothing";
  };
}
