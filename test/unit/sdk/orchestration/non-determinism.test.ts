import { SchemaVersion } from "../../../../src/protocol";
import { EntityId } from "../../../../src/sdk/entity-id";
import { NonDeterministicOrchestrationError } from "../../../../src/sdk/errors";
import { RetryOptions } from "../../../../src/sdk/retry-options";
import { HistoryBuilder, replay, replayFailure, started, type Orchestrator } from "./helpers";

const START = new HistoryBuilder().time;
const at = (ms: number): Date => new Date(START.getTime() + ms);

const callsB: Orchestrator = function* (context) {
  yield context.df.callActivity("B");
};

describe("non-determinism detection", () => {
  it("fails when history recorded another activity at the same position", async () => {
    const { error, state } = await replayFailure(
      callsB,
      started().taskScheduled(0, "A").orchestratorCompleted().episode().taskCompleted(0),
    );
    expect(state.error).toBe(
      "Non-deterministic orchestration detected in instance 'instance-1': " +
        "history event #2 TaskScheduled (Name 'A', EventId 0) does not match what the orchestrator code " +
        "scheduled at sequence number 0: activity 'B'. " +
        "An orchestrator must schedule the same tasks in the same order on every replay; do not change " +
        "orchestrator code while instances are running, and do not depend on the clock, random numbers or " +
        "I/O outside activities.",
    );
    expect(state.failureDetails).toMatchObject({
      ErrorType: "NonDeterministicOrchestrationError",
      IsNonRetriable: true,
    });
    // Nothing the code asked for this time belongs to this history.
    expect(state.actions).toEqual([[]]);
    expect(error.message).toContain("$OutOfProcData$:");
  });

  it("fails when history recorded a timer where the code now calls an activity", async () => {
    const { state } = await replayFailure(
      callsB,
      started().timerCreated(0, at(1000)).orchestratorCompleted(),
    );
    expect(state.error).toContain("history event #2 TimerCreated (EventId 0)");
    expect(state.error).toContain("at sequence number 0: activity 'B'");
  });

  it("fails when history recorded an activity where the code now creates a timer", async () => {
    const { state } = await replayFailure(function* (context) {
      yield context.df.createTimer(at(1000));
    }, started().taskScheduled(0, "A").orchestratorCompleted());
    expect(state.error).toContain("TaskScheduled (Name 'A', EventId 0)");
    expect(state.error).toContain(`timer firing at ${at(1000).toISOString()}`);
  });

  it("fails when a sub-orchestration gets another instance id", async () => {
    const { state } = await replayFailure(
      function* (context) {
        yield context.df.callSubOrchestrator("Child", null, "child-2");
      },
      started().subOrchestrationCreated(0, "Child", "child-1").orchestratorCompleted(),
    );
    expect(state.error).toContain(
      "SubOrchestrationInstanceCreated (Name 'Child', InstanceId 'child-1', EventId 0)",
    );
    expect(state.error).toContain("sub-orchestration 'Child' with instance id 'child-2'");
  });

  it("fails when an entity call goes to another entity", async () => {
    const { state } = await replayFailure(
      function* (context) {
        yield context.df.callEntity(new EntityId("counter", "other"), "add");
      },
      started().eventSent(0, "@counter@k", "op", { id: "r" }).orchestratorCompleted(),
    );
    expect(state.error).toContain("EventSent (Name 'op', InstanceId '@counter@k', EventId 0)");
    expect(state.error).toContain("call of operation 'add' on entity '@counter@other'");
  });

  it("fails when history recorded work the code no longer schedules", async () => {
    const { state } = await replayFailure(function* (context) {
      yield context.df.callActivity("A");
      return "returns early now";
    }, started().taskScheduled(0, "A").orchestratorCompleted().episode().taskCompleted(0).taskScheduled(1, "B").orchestratorCompleted());
    expect(state.error).toContain("history event #6 TaskScheduled (Name 'B', EventId 1)");
    expect(state.error).toContain("at sequence number 1: nothing");
  });

  it("is a NonDeterministicOrchestrationError with the details", () => {
    const error = new NonDeterministicOrchestrationError({
      instanceId: "i",
      historyIndex: 3,
      eventType: "TimerCreated",
      eventId: 2,
      scheduled: "activity 'A'",
    });
    expect(error.name).toBe("NonDeterministicOrchestrationError");
    expect(error.mismatch.historyIndex).toBe(3);
  });

  describe("accepts what the host adds on its own", () => {
    it("retry timers and re-attempts", async () => {
      const state = await replay(
        function* (context) {
          yield context.df.callActivityWithRetry("A", new RetryOptions(1000, 2));
          yield context.df.callActivity("Next");
        },
        started()
          .taskScheduled(0, "A")
          .orchestratorCompleted()
          .episode()
          .taskFailed(0, "r", "d")
          .timerCreated(1, at(2000))
          .orchestratorCompleted()
          .episode(0, at(2000))
          .timerFired(1, at(2000))
          .taskScheduled(2, "A")
          .orchestratorCompleted()
          .episode()
          .taskCompleted(2)
          .taskScheduled(3, "Next")
          .orchestratorCompleted(),
      );
      expect(state.isDone).toBe(false);
    });

    it("the links of a long timer", async () => {
      const day = 24 * 3600 * 1000;
      const state = await replay(
        function* (context) {
          yield context.df.createTimer(at(8 * day));
        },
        started()
          .timerCreated(0, at(3 * day))
          .orchestratorCompleted()
          .episode(0, at(3 * day))
          .timerFired(0, at(3 * day))
          .timerCreated(1, at(8 * day))
          .orchestratorCompleted(),
        { schema: SchemaVersion.V3 },
      );
      expect(state.isDone).toBe(false);
    });

    it("the timer and request of an HTTP poll", async () => {
      const state = await replay(
        function* (context) {
          yield context.df.callHttp({ method: "GET", url: "https://x" });
        },
        started()
          .taskScheduled(0, "BuiltIn::HttpActivity")
          .orchestratorCompleted()
          .episode()
          .taskCompleted(0, { statusCode: 202, headers: { Location: "l" } })
          .timerCreated(1, at(31_000))
          .orchestratorCompleted()
          .episode(0, at(31_000))
          .timerFired(1, at(31_000))
          .taskScheduled(2, "BuiltIn::HttpActivity")
          .orchestratorCompleted(),
      );
      expect(state.isDone).toBe(false);
    });

    it("events written without the names the worker does not need", async () => {
      const state = await replay(
        callsB,
        started()
          .raw({ EventType: 4, EventId: 0, IsPlayed: false, Timestamp: START.toISOString() })
          .orchestratorCompleted(),
      );
      expect(state.isDone).toBe(false);
    });
  });
});
