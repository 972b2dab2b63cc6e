/** Timers, external events and what the code observes during replay, against durable-functions 3.5.0. */
import {
  ActionType,
  HistoryEventType,
  SchemaVersion,
  type OrchestratorAction,
  type OrchestratorStatePayload,
} from "../../src/protocol";
import type { Orchestrator } from "./support/apis";
import { expectSameAtEveryEpisode, finalOutcome } from "./support/differential";
import type { Episode } from "./support/fake-host";

const DAY = 24 * 60 * 60 * 1000;
const ALL_SCHEMAS = [SchemaVersion.V1, SchemaVersion.V2, SchemaVersion.V3, SchemaVersion.V4];

function finalState(episodes: Episode[]): OrchestratorStatePayload {
  const final = finalOutcome(episodes);
  if (final.kind !== "state") throw new Error(`the orchestration did not end well: ${JSON.stringify(final)}`);
  return final.state;
}

/** How often the final state writes out an action of this type, counting every compound it is in. */
function timesWritten(episodes: Episode[], type: ActionType): number {
  const leaves = (action: OrchestratorAction): OrchestratorAction[] =>
    action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny
      ? action.compoundActions.flatMap(leaves)
      : [action];
  return finalState(episodes)
    .actions.flat()
    .flatMap(leaves)
    .filter((leaf) => leaf.actionType === type).length;
}

/** The scheduling events of the last episode's history, as "<type> <EventId> [<Name>]". */
function schedulingEvents(episodes: Episode[]): string[] {
  return (episodes.at(-1)?.trigger.history ?? []).flatMap((event) => {
    switch (event.EventType) {
      case HistoryEventType.TaskScheduled:
        return [`TaskScheduled ${event.EventId} ${event.Name}`];
      case HistoryEventType.TimerCreated:
        return [`TimerCreated ${event.EventId}`];
      default:
        return [];
    }
  });
}

describe.each(ALL_SCHEMAS)("schema %s", (schema) => {
  it("waits on a short timer", async () => {
    const wait = (): Orchestrator =>
      function* (context) {
        const start = context.df.currentUtcDateTime;
        yield context.df.createTimer(new Date(start.getTime() + 5 * 60_000));
        return context.df.currentUtcDateTime.toISOString();
      };
    const episodes = await expectSameAtEveryEpisode(wait, { schema });
    expect(episodes).toHaveLength(2);
  });

  it("waits on a ten-day timer (split into a chain from V3 on)", async () => {
    const wait = (): Orchestrator =>
      function* (context) {
        const fireAt = new Date(context.df.currentUtcDateTime.getTime() + 10 * DAY + 1234);
        const result: unknown = yield context.df.createTimer(fireAt);
        return [result, context.df.currentUtcDateTime.toISOString()];
      };
    const episodes = await expectSameAtEveryEpisode(wait, { schema });
    expect(episodes.length).toBe(schema >= SchemaVersion.V3 ? 4 : 2);
  });

  it("waits for an external event raised later", async () => {
    const approval = (): Orchestrator =>
      function* (context) {
        const answer: unknown = yield context.df.waitForExternalEvent("Approval");
        return answer;
      };
    await expectSameAtEveryEpisode(approval, {
      schema,
      world: { events: [{ episode: 3, name: "Approval", input: { ok: true } }] },
    });
  });

  it("keeps an event raised before anyone waits for it", async () => {
    const buffered = (): Orchestrator =>
      function* (context) {
        yield context.df.callActivity("First");
        const early: unknown = yield context.df.waitForExternalEvent("Early");
        const noPayload: unknown = yield context.df.waitForExternalEvent("Empty");
        return [early, noPayload === undefined];
      };
    await expectSameAtEveryEpisode(buffered, {
      schema,
      world: {
        events: [
          { episode: 1, name: "Early", input: "before" },
          { episode: 1, name: "Empty" },
        ],
      },
    });
  });

  it("serves several waiters of one name and several events of one name", async () => {
    const many = (): Orchestrator =>
      function* (context) {
        const first = context.df.waitForExternalEvent("Vote");
        const second = context.df.waitForExternalEvent("Vote");
        const votes: unknown = yield context.df.Task.all([first, second]);
        const buffered1: unknown = yield context.df.waitForExternalEvent("Later");
        const buffered2: unknown = yield context.df.waitForExternalEvent("Later");
        const caseSensitive = context.df.waitForExternalEvent("later");
        const timeout = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 60_000));
        const winner = yield context.df.Task.any([caseSensitive, timeout]);
        return [votes, buffered1, buffered2, winner === timeout];
      };
    await expectSameAtEveryEpisode(many, {
      schema,
      world: {
        events: [
          { episode: 2, name: "Vote", input: "a" },
          { episode: 2, name: "Vote", input: "b" },
          { episode: 2, name: "Later", input: 1 },
          { episode: 2, name: "Later", input: 2 },
          { episode: 3, name: "LATER", input: 3 },
        ],
      },
    });
  });

  // The official worker writes a task's action out again in every compound that yields it, but
  // numbers the task only once; a host must follow its numbers, not its actions.
  it("yields a pending timer and activity again in a new Task.any after another task won", async () => {
    const again = (): Orchestrator =>
      function* (context) {
        const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3600_000));
        const quick = context.df.callActivity("Quick");
        const slow = context.df.callActivity("Slow");
        const first = yield context.df.Task.any([quick, deadline, slow]);
        const second = yield context.df.Task.any([context.df.waitForExternalEvent("Never"), deadline, slow]);
        deadline.cancel();
        const after: unknown = yield context.df.callActivity("After");
        return [first === quick, second === slow, slow.result, after];
      };
    const episodes = await expectSameAtEveryEpisode(again, {
      schema,
      world: { activity: (name) => ({ result: name }) },
    });
    expect(finalState(episodes).output).toEqual([true, true, "Slow", "After"]);
    expect(timesWritten(episodes, ActionType.CreateTimer)).toBe(2);
    expect(timesWritten(episodes, ActionType.CallActivity)).toBe(4);
    expect(schedulingEvents(episodes)).toEqual([
      "TaskScheduled 0 Quick",
      "TimerCreated 1",
      "TaskScheduled 2 Slow",
      "TaskScheduled 3 After",
    ]);
  });

  it("yields a pending timer and activity again in a new Task.all after another task won", async () => {
    const again = (): Orchestrator =>
      function* (context) {
        const deadline = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 3600_000));
        const quick = context.df.callActivity("Quick");
        const slow = context.df.callActivity("Slow");
        const first = yield context.df.Task.any([quick, deadline, slow]);
        const all: unknown = yield context.df.Task.all([slow, deadline, context.df.callActivity("Fresh")]);
        const after: unknown = yield context.df.callActivity("After");
        return [first === quick, all, after];
      };
    const episodes = await expectSameAtEveryEpisode(again, {
      schema,
      world: { activity: (name) => ({ result: name }) },
    });
    expect(finalState(episodes).output).toEqual([true, ["Slow", null, "Fresh"], "After"]);
    expect(timesWritten(episodes, ActionType.CreateTimer)).toBe(2);
    expect(schedulingEvents(episodes)).toEqual([
      "TaskScheduled 0 Quick",
      "TimerCreated 1",
      "TaskScheduled 2 Slow",
      "TaskScheduled 3 Fresh",
      "TaskScheduled 4 After",
    ]);
  });

  describe.each([
    ["the right one", [1, 1234], "verified at attempt 2", 2],
    ["the timer", [1], "expired after 1 wrong", 2],
    ["two more wrong ones", [1, 2, 3], "too many wrong answers", 3],
  ])("races one timer against several answers: a wrong one, then %s", (_, answers, outcome, races) => {
    it("answers the same at every episode", async () => {
      const challenge = (): Orchestrator =>
        function* (context) {
          const expiry = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 90_000));
          for (let attempt = 1; attempt <= 3; attempt++) {
            const answer = context.df.waitForExternalEvent("Answer");
            const winner = yield context.df.Task.any([answer, expiry]);
            if (winner === expiry) return `expired after ${attempt - 1} wrong`;
            if (answer.result === 1234) {
              expiry.cancel();
              return `verified at attempt ${attempt}`;
            }
          }
          expiry.cancel();
          return "too many wrong answers";
        };
      const episodes = await expectSameAtEveryEpisode(challenge, {
        schema,
        eventsAlone: true,
        world: { events: answers.map((input, index) => ({ episode: index + 2, name: "Answer", input })) },
      });
      expect(finalState(episodes).output).toBe(outcome);
      expect(timesWritten(episodes, ActionType.CreateTimer)).toBe(races);
      expect(schedulingEvents(episodes)).toEqual(["TimerCreated 0"]);
    });
  });

  it("reports custom status, replay flags, replay-safe time and GUIDs", async () => {
    const observe = (): Orchestrator =>
      function* (context) {
        const seen: unknown[] = [];
        const note = (label: string): void => {
          seen.push([label, context.df.isReplaying, context.df.currentUtcDateTime.toISOString()]);
          context.df.setCustomStatus({ seen });
        };
        note("start");
        seen.push(context.df.newGuid(context.df.instanceId), context.df.newGuid("other"));
        yield context.df.callActivity("A");
        note("after A");
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
        note("after timer");
        seen.push(context.df.newGuid(context.df.instanceId));
        context.df.setCustomStatus(0);
        return {
          seen,
          input: context.df.getInput(),
          parent: context.df.parentInstanceId,
          version: context.df.version,
        };
      };
    await expectSameAtEveryEpisode(observe, {
      schema,
      input: { when: { Timestamp: "2024-05-01T00:00:00Z" } },
    });
  });
});

describe("timer edge cases", () => {
  it("cancels a long timer that lost a race", async () => {
    const race = (): Orchestrator =>
      function* (context) {
        const timer = context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 30 * DAY));
        const winner = yield context.df.Task.any([context.df.waitForExternalEvent("Go"), timer]);
        if (winner !== timer) {
          timer.cancel();
        }
        return timer.isCanceled;
      };
    const episodes = await expectSameAtEveryEpisode(race, {
      schema: SchemaVersion.V3,
      world: { events: [{ episode: 2, name: "Go" }] },
    });
    const final = finalOutcome(episodes);
    expect(final.kind === "state" && final.state.output).toBe(true);
  });

  it("splits with the trigger's own timer limits", async () => {
    const wait = (): Orchestrator =>
      function* (context) {
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 5 * 60 * 60_000));
        return "done";
      };
    const episodes = await expectSameAtEveryEpisode(wait, {
      schema: SchemaVersion.V3,
      maximumShortTimerDuration: "01:00:00",
      longRunningTimerIntervalDuration: "00:45:00",
    });
    expect(episodes.length).toBeGreaterThan(5);
  });

  it("fails without timer limits in the trigger from V3 on", async () => {
    const wait = (): Orchestrator =>
      function* (context) {
        yield context.df.createTimer(new Date(context.df.currentUtcDateTime.getTime() + 1000));
      };
    const episodes = await expectSameAtEveryEpisode(wait, {
      schema: SchemaVersion.V3,
      maximumShortTimerDuration: "",
    });
    expect(finalOutcome(episodes).kind).toBe("failure");
  });
});
