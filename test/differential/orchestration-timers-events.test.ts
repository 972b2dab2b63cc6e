/** Timers, external events and what the code observes during replay, against durable-functions 3.5.0. */
import { SchemaVersion } from "../../src/protocol";
import type { Orchestrator } from "./support/apis";
import { expectSameAtEveryEpisode, finalOutcome } from "./support/differential";

const DAY = 24 * 60 * 60 * 1000;
const ALL_SCHEMAS = [SchemaVersion.V1, SchemaVersion.V2, SchemaVersion.V3, SchemaVersion.V4];

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
