import { ActionType } from "../../../../src/protocol";
import { replay, started, type Orchestrator } from "./helpers";

describe("waitForExternalEvent", () => {
  const approval: Orchestrator = function* (context) {
    return yield context.df.waitForExternalEvent("Approval");
  };

  it("sends a WaitForExternalEvent action and consumes no sequence number", async () => {
    const state = await replay(
      function* (context) {
        yield context.df.waitForExternalEvent("Approval");
        yield context.df.callActivity("Next");
      },
      started().orchestratorCompleted().episode().eventRaised("Approval", true),
    );
    expect(state.actions[0]).toEqual([
      { externalEventName: "Approval", reason: "ExternalEvent", actionType: ActionType.WaitForExternalEvent },
      { functionName: "Next", actionType: 0 },
    ]);
  });

  it("completes with the event's payload, or undefined without one", async () => {
    expect(
      (await replay(approval, started().orchestratorCompleted().episode().eventRaised("Approval", { ok: 1 })))
        .output,
    ).toEqual({ ok: 1 });
    const empty = await replay(approval, started().orchestratorCompleted().episode().eventRaised("Approval"));
    expect(empty).toMatchObject({ isDone: true });
    expect(empty).not.toHaveProperty("output");
  });

  it("keeps an event that arrived before the code waited for it", async () => {
    const late: Orchestrator = function* (context) {
      yield context.df.callActivity("First");
      return yield context.df.waitForExternalEvent("Approval");
    };
    const history = started()
      .eventRaised("Approval", "early")
      .taskScheduled(0, "First")
      .orchestratorCompleted()
      .episode()
      .taskCompleted(0);
    expect((await replay(late, history)).output).toBe("early");
  });

  it("delivers buffered events of one name oldest first", async () => {
    const twice: Orchestrator = function* (context) {
      const first: unknown = yield context.df.waitForExternalEvent("Tick");
      const second: unknown = yield context.df.waitForExternalEvent("Tick");
      return [first, second];
    };
    const history = started().eventRaised("Tick", 1).eventRaised("Tick", 2);
    expect((await replay(twice, history)).output).toEqual([1, 2]);
  });

  it("serves the latest waiter first when several wait on one name (LIFO)", async () => {
    const waiters: Orchestrator = function* (context) {
      const first = context.df.waitForExternalEvent("Vote");
      const second = context.df.waitForExternalEvent("Vote");
      yield context.df.Task.all([first, second]);
      return [first.result, second.result];
    };
    const history = started()
      .orchestratorCompleted()
      .episode()
      .eventRaised("Vote", "a")
      .eventRaised("Vote", "b");
    expect((await replay(waiters, history)).output).toEqual(["b", "a"]);
  });

  it("matches names case-sensitively", async () => {
    const state = await replay(
      approval,
      started().orchestratorCompleted().episode().eventRaised("approval", 1),
    );
    expect(state.isDone).toBe(false);
  });
});
