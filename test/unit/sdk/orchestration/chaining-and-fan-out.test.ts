import { ActionType } from "../../../../src/protocol";
import type { Task } from "../../../../src/sdk/orchestration/types";
import { lastState, replay, runToEnd, started, type Orchestrator } from "./helpers";

const sayHello: Orchestrator = function* (context) {
  const tokyo: unknown = yield context.df.callActivity("SayHello", "Tokyo");
  const seattle: unknown = yield context.df.callActivity("SayHello", { city: "Seattle" });
  return [tokyo, seattle];
};

describe("activity chaining", () => {
  it("schedules the first activity, encoding a string input once more", async () => {
    const state = await replay(sayHello, started());
    expect(state).toEqual({
      isDone: false,
      actions: [[{ functionName: "SayHello", actionType: ActionType.CallActivity, input: '"Tokyo"' }]],
      schemaVersion: 2,
    });
  });

  it("lists every action since the start, not only the new ones", async () => {
    const history = started()
      .taskScheduled(0, "SayHello", "Tokyo")
      .orchestratorCompleted()
      .episode()
      .taskCompleted(0, "Hi Tokyo");
    const state = await replay(sayHello, history);
    expect(state.actions[0].map((action) => action.actionType)).toEqual([0, 0]);
    expect(state.actions[0][1]).toMatchObject({ input: { city: "Seattle" } });
    expect(state.isDone).toBe(false);
  });

  it("returns the output once the last activity completes", async () => {
    const history = started()
      .taskScheduled(0, "SayHello")
      .orchestratorCompleted()
      .episode()
      .taskCompleted(0, "Hi Tokyo")
      .taskScheduled(1, "SayHello")
      .orchestratorCompleted()
      .episode()
      .taskCompleted(1, "Hi Seattle");
    const state = await replay(sayHello, history);
    expect(state).toMatchObject({ isDone: true, output: ["Hi Tokyo", "Hi Seattle"] });
  });

  it("does not schedule a task that is created but never yielded", async () => {
    const state = await replay(function* (context) {
      context.df.callActivity("Forgotten");
      yield context.df.callActivity("Yielded");
    }, started());
    expect(state.actions).toEqual([[{ functionName: "Yielded", actionType: 0 }]]);
  });
});

describe("fan-out / fan-in", () => {
  const fanOut = (width: number): Orchestrator =>
    function* (context) {
      const tasks: Task[] = [];
      for (let i = 0; i < width; i++) {
        tasks.push(context.df.callActivity("Work", i));
      }
      return yield context.df.Task.all(tasks);
    };

  it("sends the branches as one WhenAll action", async () => {
    const state = await replay(fanOut(3), started());
    expect(state.actions).toEqual([
      [
        {
          actionType: ActionType.WhenAll,
          compoundActions: [0, 1, 2].map((i) => ({ functionName: "Work", actionType: 0, input: i })),
        },
      ],
    ]);
  });

  it("completes with the results in branch order, whatever the completion order", async () => {
    let history = started();
    for (let i = 0; i < 1000; i++) {
      history = history.taskScheduled(i, "Work", i);
    }
    history = history.orchestratorCompleted().episode();
    for (let i = 999; i >= 0; i--) {
      history = history.taskCompleted(i, i * 2);
    }
    const state = await replay(fanOut(1000), history);
    expect(state.isDone).toBe(true);
    expect(state.output).toEqual(Array.from({ length: 1000 }, (_, i) => i * 2));
    expect(state.actions[0][0]).toMatchObject({ actionType: ActionType.WhenAll });
  });

  it("runs a 1,000-way fan-out to its end through a host", async () => {
    const episodes = await runToEnd(fanOut(1000), {
      batch: true,
      world: { activity: (_name, input) => ({ result: input }) },
    });
    expect(lastState(episodes).output).toHaveLength(1000);
  });

  it("is still waiting while one branch is missing", async () => {
    let history = started();
    for (let i = 0; i < 3; i++) {
      history = history.taskScheduled(i, "Work", i);
    }
    history = history.orchestratorCompleted().episode().taskCompleted(0, 0).taskCompleted(2, 2);
    const state = await replay(fanOut(3), history);
    expect(state.isDone).toBe(false);
  });

  it("fails with the first branch that fails", async () => {
    const caught: Orchestrator = function* (context) {
      try {
        yield context.df.Task.all([context.df.callActivity("A"), context.df.callActivity("B")]);
      } catch (error) {
        return (error as Error).message;
      }
    };
    const history = started()
      .taskScheduled(0, "A")
      .taskScheduled(1, "B")
      .orchestratorCompleted()
      .episode()
      .taskFailed(1, "B failed", "details B")
      .taskFailed(0, "A failed", "details A");
    const state = await replay(caught, history);
    expect(state.output).toBe("B failed \n details B");
  });

  it("returns the first task to complete from Task.any", async () => {
    const race: Orchestrator = function* (context) {
      const a = context.df.callActivity("A");
      const b = context.df.callActivity("B");
      const winner = yield context.df.Task.any([a, b]);
      return [winner === b, b.result];
    };
    const history = started()
      .taskScheduled(0, "A")
      .taskScheduled(1, "B")
      .orchestratorCompleted()
      .episode()
      .taskCompleted(1, "b wins")
      .taskCompleted(0, "a late");
    const state = await replay(race, history);
    expect(state.output).toEqual([true, "b wins"]);
  });
});
