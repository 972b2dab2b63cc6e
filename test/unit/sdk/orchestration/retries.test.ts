import { ActionType } from "../../../../src/protocol";
import { RetryOptions } from "../../../../src/sdk/retry-options";
import { HistoryBuilder, replay, replayFailure, started, type Orchestrator } from "./helpers";

const START = new HistoryBuilder().time;
const at = (ms: number): Date => new Date(START.getTime() + ms);

const retried = (attempts: number): Orchestrator =>
  function* (context) {
    const options = new RetryOptions(1000, attempts);
    options.backoffCoefficient = 2;
    return yield context.df.callActivityWithRetry("Flaky", options, "in");
  };

describe("callActivityWithRetry", () => {
  it("sends the retry options once; the host runs the attempts", async () => {
    const state = await replay(retried(3), started());
    expect(state.actions).toEqual([
      [
        {
          functionName: "Flaky",
          retryOptions: {
            firstRetryIntervalInMilliseconds: 1000,
            maxNumberOfAttempts: 3,
            backoffCoefficient: 2,
          },
          actionType: ActionType.CallActivityWithRetry,
          input: '"in"',
        },
      ],
    ]);
  });

  it("numbers attempt, timer, attempt...: the third attempt's success is #4", async () => {
    const history = started()
      .taskScheduled(0, "Flaky")
      .orchestratorCompleted()
      .episode()
      .taskFailed(0, "try 1")
      .timerCreated(1, at(2000))
      .orchestratorCompleted()
      .episode(0, at(2000))
      .timerFired(1, at(2000))
      .taskScheduled(2, "Flaky")
      .orchestratorCompleted()
      .episode()
      .taskFailed(2, "try 2")
      .timerCreated(3, at(5000))
      .orchestratorCompleted()
      .episode(0, at(5000))
      .timerFired(3, at(5000))
      .taskScheduled(4, "Flaky")
      .orchestratorCompleted()
      .episode()
      .taskCompleted(4, "finally");
    const state = await replay(retried(3), history);
    expect(state).toMatchObject({ isDone: true, output: "finally" });
    expect(state.actions[0]).toHaveLength(1);
  });

  it("fails only after the timer that follows the last attempt", async () => {
    const failedTwice = started()
      .taskScheduled(0, "Flaky")
      .orchestratorCompleted()
      .episode()
      .taskFailed(0, "try 1", "d1")
      .timerCreated(1, at(2000))
      .orchestratorCompleted()
      .episode(0, at(2000))
      .timerFired(1, at(2000))
      .taskScheduled(2, "Flaky")
      .orchestratorCompleted()
      .episode()
      .taskFailed(2, "try 2", "d2");
    expect((await replay(retried(2), failedTwice)).isDone).toBe(false);
    const { state } = await replayFailure(
      retried(2),
      failedTwice.timerCreated(3, at(4000)).orchestratorCompleted().episode().timerFired(3, at(4000)),
    );
    expect(state.error).toBe("try 2 \n d2");
  });

  it("retries sub-orchestrations the same way", async () => {
    const parent: Orchestrator = function* (context) {
      return yield context.df.callSubOrchestratorWithRetry("Child", new RetryOptions(1000, 2), 5, "child-1");
    };
    const history = started()
      .subOrchestrationCreated(0, "Child", "child-1")
      .orchestratorCompleted()
      .episode()
      .subOrchestrationFailed(0, "no", "d")
      .timerCreated(1, at(2000))
      .orchestratorCompleted()
      .episode(0, at(2000))
      .timerFired(1, at(2000))
      .subOrchestrationCreated(2, "Child", "child-1")
      .orchestratorCompleted()
      .episode()
      .subOrchestrationCompleted(2, "second time");
    const state = await replay(parent, history);
    expect(state.output).toBe("second time");
    expect(state.actions[0][0]).toMatchObject({
      actionType: ActionType.CallSubOrchestratorWithRetry,
      instanceId: "child-1",
    });
  });

  it("rejects retry options that are not RetryOptions", async () => {
    const { state } = await replayFailure(function* (context) {
      yield context.df.callActivityWithRetry("A", { maxNumberOfAttempts: 1 } as never);
    }, started());
    expect(state.error).toBe(
      "retryOptions: Expected object of type RetryOptions but got object; are you missing properties?",
    );
  });
});
