import { ActionType, SchemaVersion } from "../../../../src/protocol";
import {
  HistoryBuilder,
  lastState,
  replay,
  replayFailure,
  runToEnd,
  started,
  type Orchestrator,
} from "./helpers";

const DAY = 24 * 60 * 60 * 1000;
const START = new HistoryBuilder().time;
const at = (ms: number): Date => new Date(START.getTime() + ms);

const sleep = (ms: number): Orchestrator =>
  function* (context) {
    const result: unknown = yield context.df.createTimer(
      new Date(context.df.currentUtcDateTime.getTime() + ms),
    );
    return [result ?? null, context.df.currentUtcDateTime.toISOString()];
  };

describe("createTimer", () => {
  it("sends the fire time and waits for TimerFired", async () => {
    const state = await replay(sleep(60_000), started());
    expect(state.actions).toEqual([
      [{ fireAt: at(60_000).toISOString(), isCanceled: false, actionType: ActionType.CreateTimer }],
    ]);
    const fired = await replay(
      sleep(60_000),
      started()
        .timerCreated(0, at(60_000))
        .orchestratorCompleted()
        .episode(0, at(60_000))
        .timerFired(0, at(60_000)),
    );
    expect(fired).toMatchObject({ isDone: true, output: [null, at(60_000).toISOString()] });
  });

  it("cancels a timer that lost a race; the host sees isCanceled", async () => {
    const race: Orchestrator = function* (context) {
      const timer = context.df.createTimer(at(DAY));
      const winner = yield context.df.Task.any([context.df.callActivity("Fast"), timer]);
      if (winner !== timer) {
        timer.cancel();
      }
      return timer.isCanceled;
    };
    const history = started()
      .taskScheduled(0, "Fast")
      .timerCreated(1, at(DAY))
      .orchestratorCompleted()
      .episode()
      .taskCompleted(0);
    const state = await replay(race, history);
    expect(state.output).toBe(true);
    expect(state.actions[0][0]).toMatchObject({
      actionType: ActionType.WhenAny,
      compoundActions: [{ actionType: 0 }, { isCanceled: true, actionType: ActionType.CreateTimer }],
    });
  });

  it("refuses to cancel a timer that already fired", async () => {
    const { state } = await replayFailure(
      function* (context) {
        const timer = context.df.createTimer(at(1000));
        yield timer;
        timer.cancel();
      },
      started()
        .timerCreated(0, at(1000))
        .orchestratorCompleted()
        .episode(0, at(1000))
        .timerFired(0, at(1000)),
    );
    expect(state.error).toBe("Cannot cancel a completed task.");
  });
});

describe("long timers (schema V3+)", () => {
  it("sends one action with the final fire time, and mirrors the host's chain of shorter timers", async () => {
    const episodes = await runToEnd(sleep(10 * DAY), { schema: SchemaVersion.V3 });
    const history = episodes.at(-1)?.trigger.history ?? [];
    const created = history
      .filter((event) => event.EventType === 10)
      .map((event) => [event.EventId, (event as { FireAt: string }).FireAt]);
    // 3-day links while more than 6 days remain, then the final time.
    expect(created).toEqual([
      [0, at(3 * DAY).toISOString()],
      [1, at(6 * DAY).toISOString()],
      [2, at(10 * DAY).toISOString()],
    ]);
    const state = lastState(episodes);
    expect(state.actions).toEqual([
      [{ fireAt: at(10 * DAY).toISOString(), isCanceled: false, actionType: 5 }],
    ]);
    // A long timer resolves like Task.all over its links.
    expect(state.output).toEqual([[null, null, null], at(10 * DAY).toISOString()]);
  });

  it("numbers the task after a long timer past the whole chain", async () => {
    const then: Orchestrator = function* (context) {
      yield context.df.createTimer(at(7 * DAY));
      yield context.df.callActivity("After");
    };
    const history = started()
      .timerCreated(0, at(3 * DAY))
      .orchestratorCompleted()
      .episode(0, at(3 * DAY))
      .timerFired(0, at(3 * DAY))
      .timerCreated(1, at(7 * DAY))
      .orchestratorCompleted()
      .episode(0, at(7 * DAY))
      .timerFired(1, at(7 * DAY));
    const state = await replay(then, history);
    expect(state.actions[0]).toHaveLength(2);
    const next = await replay(
      then,
      history.taskScheduled(2, "After").orchestratorCompleted().episode().taskCompleted(2),
    );
    expect(next.isDone).toBe(true);
  });

  it("is a single timer under V2", async () => {
    const episodes = await runToEnd(sleep(10 * DAY), { schema: SchemaVersion.V2 });
    expect(lastState(episodes).output).toEqual([null, at(10 * DAY).toISOString()]);
    expect(episodes).toHaveLength(2);
  });

  it("requires the timer limits in the trigger", async () => {
    const { state } = await replayFailure(sleep(1000), started(), { longRunningTimerIntervalDuration: "" });
    expect(state.error).toContain(
      "`maximumShortTimerDuration` and `longRunningTimerIntervalDuration` are not defined",
    );
    expect(state.error).toContain(
      "maximumShortTimerDuration: P6D\nlongRunningTimerIntervalDuration: undefined",
    );
  });
});
