import { deterministicGuid } from "../../../../src/sdk/orchestration";
import { HistoryBuilder, replay, started, type Orchestrator } from "./helpers";

const START = new HistoryBuilder().time;

describe("isReplaying and currentUtcDateTime", () => {
  const observe: Orchestrator = function* (context) {
    const seen: unknown[] = [[context.df.isReplaying, context.df.currentUtcDateTime.toISOString()]];
    yield context.df.callActivity("A");
    seen.push([context.df.isReplaying, context.df.currentUtcDateTime.toISOString()]);
    yield context.df.callActivity("B");
    seen.push([context.df.isReplaying, context.df.currentUtcDateTime.toISOString()]);
    context.df.setCustomStatus(seen);
    return seen;
  };

  it("replays past episodes and runs the last one live, with each episode's start time", async () => {
    const history = started()
      .taskScheduled(0, "A")
      .orchestratorCompleted()
      .episode(5000)
      .taskCompleted(0)
      .taskScheduled(1, "B")
      .orchestratorCompleted()
      .episode(7000)
      .taskCompleted(1);
    const state = await replay(observe, history);
    expect(state.output).toEqual([
      [true, START.toISOString()],
      [true, new Date(START.getTime() + 5000).toISOString()],
      [false, new Date(START.getTime() + 12000).toISOString()],
    ]);
  });
});

describe("setCustomStatus", () => {
  it("reports the last value set", async () => {
    const state = await replay(function* (context) {
      context.df.setCustomStatus("first");
      context.df.setCustomStatus({ step: 2 });
      yield context.df.callActivity("A");
    }, started());
    expect(state.customStatus).toEqual({ step: 2 });
  });

  it.each([0, "", false, null])("drops a falsy value (%p), as the official worker does", async (value) => {
    const state = await replay(function* (context) {
      context.df.setCustomStatus(value);
      yield context.df.callActivity("A");
    }, started());
    expect(state).not.toHaveProperty("customStatus");
  });
});

describe("newGuid", () => {
  const guids: Orchestrator = function* (context) {
    const first = [context.df.newGuid(context.df.instanceId), context.df.newGuid(context.df.instanceId)];
    yield context.df.callActivity("A");
    return [...first, context.df.newGuid(context.df.instanceId)];
  };

  it("is the same on every replay and differs per call", async () => {
    const history = () =>
      started().taskScheduled(0, "A").orchestratorCompleted().episode(1000).taskCompleted(0);
    const once = await replay(guids, history());
    const twice = await replay(guids, history());
    expect(once.output).toEqual(twice.output);
    expect(new Set(once.output as string[]).size).toBe(3);
  });

  it("is a name-based GUID of instance id, replay time and a counter", async () => {
    const state = await replay(
      guids,
      started().taskScheduled(0, "A").orchestratorCompleted().episode(1000).taskCompleted(0),
    );
    const t0 = START.getTime();
    expect(state.output).toEqual([
      deterministicGuid(`instance-1_${t0}_0`),
      deterministicGuid(`instance-1_${t0}_1`),
      deterministicGuid(`instance-1_${t0 + 1000}_2`),
    ]);
    expect(deterministicGuid("abc_1700000000000_0")).toBe("1d2253a8-be9b-5f16-9d85-1951414101c6");
  });
});

describe("getInput, instanceId, parentInstanceId and version", () => {
  it("expose the trigger and ExecutionStarted as given", async () => {
    const state = await replay(
      function* (context) {
        yield context.df.callActivity("A");
        return [
          context.df.getInput(),
          context.df.instanceId,
          context.df.parentInstanceId,
          context.df.version,
        ];
      },
      new HistoryBuilder()
        .episode(0)
        .executionStarted({ version: "1.2" })
        .taskScheduled(0, "A")
        .orchestratorCompleted()
        .episode()
        .taskCompleted(0),
      { input: { n: 1 }, instanceId: "my-id", parentInstanceId: "parent-id" },
    );
    expect(state.output).toEqual([{ n: 1 }, "my-id", "parent-id", "1.2"]);
  });

  it("turns Timestamp strings in the input into Dates, as the official worker does", async () => {
    const state = await replay(
      function* (context) {
        const input = context.df.getInput<{ nested: { Timestamp: unknown } }>();
        yield context.df.callActivity("A");
        return input.nested.Timestamp instanceof Date;
      },
      started().taskScheduled(0, "A").orchestratorCompleted().episode().taskCompleted(0),
      { input: { nested: { Timestamp: "2024-05-01T00:00:00Z" } } },
    );
    expect(state.output).toBe(true);
  });
});
