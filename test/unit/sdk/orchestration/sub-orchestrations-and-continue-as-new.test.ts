import { ActionType, SchemaVersion } from "../../../../src/protocol";
import { registeredOrchestration } from "../../../../src/sdk/orchestration";
import { RetryOptions } from "../../../../src/sdk/retry-options";
import { lastState, replay, replayFailure, runToEnd, started, type Orchestrator } from "./helpers";

describe("callSubOrchestrator", () => {
  it("sends name, instance id, version and the raw input", async () => {
    const state = await replay(function* (context) {
      yield context.df.callSubOrchestrator("Child", "raw", "child-1", "2.0");
    }, started());
    expect(state.actions[0]).toEqual([
      {
        functionName: "Child",
        instanceId: "child-1",
        version: "2.0",
        actionType: ActionType.CallSubOrchestrator,
        input: "raw",
      },
    ]);
  });

  it("completes with the child's output, or fails with its failure", async () => {
    const parent: Orchestrator = function* (context) {
      const ok: unknown = yield context.df.callSubOrchestrator("Child");
      try {
        yield context.df.callSubOrchestrator("Child");
      } catch (error) {
        return [ok, (error as Error).message];
      }
    };
    const history = started()
      .subOrchestrationCreated(0, "Child", "instance-1:0")
      .orchestratorCompleted()
      .episode()
      .subOrchestrationCompleted(0, { done: 1 })
      .subOrchestrationCreated(1, "Child", "instance-1:1")
      .orchestratorCompleted()
      .episode()
      .subOrchestrationFailed(1, "Orchestrator function 'Child' failed: x", "details");
    expect((await replay(parent, history)).output).toEqual([
      { done: 1 },
      "Orchestrator function 'Child' failed: x \n details",
    ]);
  });

  it("requires a name", async () => {
    const { state } = await replayFailure(function* (context) {
      yield context.df.callSubOrchestrator("");
    }, started());
    expect(state.error).toBe(
      "A sub-orchestration function name must be provided when attempting to create a suborchestration",
    );
  });

  it("is what a registered orchestration schedules, with or without retry", async () => {
    const child = registeredOrchestration("Child");
    const state = await replay(function* () {
      yield child({ n: 1 }, "id-1");
    }, started());
    expect(state.actions[0][0]).toEqual({
      functionName: "Child",
      instanceId: "id-1",
      actionType: 2,
      input: { n: 1 },
    });
    const retried = await replay(function* () {
      yield child().withRetry(new RetryOptions(10, 2));
    }, started());
    expect(retried.actions[0][0]).toMatchObject({ actionType: ActionType.CallSubOrchestratorWithRetry });
  });
});

describe("continueAsNew", () => {
  const counter: Orchestrator = function* (context) {
    const n = context.df.getInput<number>();
    yield context.df.callActivity("Tick", n);
    if (n < 2) {
      context.df.continueAsNew(n + 1);
    }
    return n;
  };

  it("ends the execution with a ContinueAsNew action carrying the new input", async () => {
    const state = await replay(
      counter,
      started(0).taskScheduled(0, "Tick", 0).orchestratorCompleted().episode().taskCompleted(0),
      {
        input: 0,
      },
    );
    expect(state).toEqual({
      isDone: true,
      actions: [
        [
          { functionName: "Tick", actionType: 0, input: 0 },
          { actionType: ActionType.ContinueAsNew, input: 1 },
        ],
      ],
      output: 0,
      schemaVersion: SchemaVersion.V3,
    });
  });

  it("restarts with the new input and a fresh history, until the code returns", async () => {
    const episodes = await runToEnd(counter, { input: 0, maxExecutions: 10 });
    expect(new Set(episodes.map((episode) => episode.execution))).toEqual(new Set([1, 2, 3]));
    expect(lastState(episodes)).toMatchObject({ isDone: true, output: 2 });
    // Every execution numbers from 0 again.
    expect(episodes.at(-1)?.trigger.history.find((event) => event.EventType === 4)?.EventId).toBe(0);
  });

  it("encodes a string input once more, as activity inputs are", async () => {
    const state = await replay(function* (context) {
      context.df.continueAsNew("next");
      yield context.df.callActivity("Ignored");
    }, started());
    expect(state).toEqual({
      isDone: true,
      actions: [[{ actionType: 4, input: '"next"' }]],
      schemaVersion: 2,
    });
  });
});
