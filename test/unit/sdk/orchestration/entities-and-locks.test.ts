import { ActionType, SchemaVersion } from "../../../../src/protocol";
import { DurableLock } from "../../../../src/sdk/durable-lock";
import { EntityId } from "../../../../src/sdk/entity-id";
import { LockingRulesViolationError, LockingRulesViolationMessages } from "../../../../src/sdk/errors";
import { deterministicGuid } from "../../../../src/sdk/orchestration";
import { HistoryBuilder, replay, replayFailure, started, type Orchestrator } from "./helpers";

const V4 = { schema: SchemaVersion.V4 };
const START = new HistoryBuilder().time;
const counter = new EntityId("Counter", "k");

describe("callEntity", () => {
  const call: Orchestrator = function* (context) {
    return yield context.df.callEntity(counter, "add", 2);
  };

  it("sends the operation to '@<lower-case name>@<key>' with the raw input", async () => {
    const state = await replay(call, started());
    expect(state.actions[0]).toEqual([
      { operation: "add", actionType: ActionType.CallEntity, input: 2, instanceId: "@counter@k" },
    ]);
  });

  it("waits for the answer under the request id the host chose in EventSent", async () => {
    const history = started()
      .eventSent(0, "@counter@k", "op", { op: "add", id: "req-1" })
      .orchestratorCompleted()
      .episode()
      .entityResponse("req-1", 7);
    expect((await replay(call, history)).output).toBe(7);
  });

  it("throws the entity's error into the orchestration", async () => {
    const history = started()
      .eventSent(0, "@counter@k", "op", { op: "add", id: "req-1" })
      .orchestratorCompleted()
      .episode()
      .entityResponse("req-1", "no such operation", true);
    const { state } = await replayFailure(call, history);
    expect(state.error).toBe("no such operation");
  });
});

describe("signalEntity", () => {
  it("records a fire-and-forget action that consumes a sequence number", async () => {
    const state = await replay(
      function* (context) {
        context.df.signalEntity(counter, "reset");
        yield context.df.callActivity("After");
      },
      started()
        .eventSent(0, "@counter@k", "op", { id: "s" })
        .taskScheduled(1, "After")
        .orchestratorCompleted()
        .episode()
        .taskCompleted(1),
    );
    expect(state.actions[0]).toEqual([
      { operation: "reset", actionType: ActionType.SignalEntity, instanceId: "@counter@k" },
      { functionName: "After", actionType: 0 },
    ]);
    expect(state.isDone).toBe(true);
  });
});

describe("lock (critical sections)", () => {
  const a = new EntityId("Account", "a");
  const b = new EntityId("account", "b");

  it("sends the lock set sorted and de-duplicated, with a deterministic request id", async () => {
    const state = await replay(
      function* (context) {
        yield context.df.lock(b, a, b);
      },
      started(),
      V4,
    );
    expect(state.actions[0]).toEqual([
      {
        actionType: ActionType.LockEntities,
        lockRequestId: deterministicGuid(`instance-1_${START.getTime()}_0`),
        lockSet: [
          { name: "Account", key: "a" },
          { name: "account", key: "b" },
        ],
      },
    ]);
  });

  it("yields a DurableLock; releasing it sends ReleaseEntities and leaves the section", async () => {
    const lockId = deterministicGuid(`instance-1_${START.getTime()}_0`);
    const section: Orchestrator = function* (context) {
      const lock = (yield context.df.lock([a, b])) as DurableLock;
      const inside = context.df.isLocked();
      lock.release();
      return [
        lock instanceof DurableLock,
        inside.isLocked,
        inside.ownedLocks.length,
        context.df.isLocked().isLocked,
      ];
    };
    const history = started()
      .eventSent(0, "@account@a", "op", { id: lockId, lockset: [] })
      .orchestratorCompleted()
      .episode()
      .eventRaised(lockId, { result: "Lock Acquisition Completed" });
    const state = await replay(section, history, V4);
    expect(state.output).toEqual([true, true, 2, false]);
    expect(state.actions[0][1]).toEqual({ actionType: ActionType.ReleaseEntities });
  });

  it("releases with `using` through Symbol.dispose", () => {
    const released: string[] = [];
    const lock = new DurableLock([a], () => released.push("released"));
    lock[Symbol.dispose]();
    lock.release();
    expect(released).toEqual(["released"]);
    expect(lock.isReleased).toBe(true);
  });

  it.each([
    [
      "nested sections",
      LockingRulesViolationMessages.NestedSection,
      (ctx: Parameters<Orchestrator>[0]) => ctx.df.lock(b),
    ],
    [
      "sub-orchestrations",
      LockingRulesViolationMessages.SubOrchestrationInSection,
      (ctx: Parameters<Orchestrator>[0]) => ctx.df.callSubOrchestrator("Child"),
    ],
    [
      "calls to other entities",
      LockingRulesViolationMessages.CallUnlockedEntity,
      (ctx: Parameters<Orchestrator>[0]) => ctx.df.callEntity(b, "get"),
    ],
    [
      "signals to locked entities",
      LockingRulesViolationMessages.SignalLockedEntity,
      (ctx: Parameters<Orchestrator>[0]) => ctx.df.signalEntity(a, "get"),
    ],
    [
      "parallel calls to one entity",
      LockingRulesViolationMessages.ParallelSameEntity,
      (ctx: Parameters<Orchestrator>[0]) => [ctx.df.callEntity(a, "get"), ctx.df.callEntity(a, "get")],
    ],
  ])("refuses %s inside a section", async (_label, message, breakRule) => {
    let thrown: unknown;
    await replay(
      function* (context) {
        context.df.lock(a);
        try {
          breakRule(context);
        } catch (error) {
          thrown = error;
        }
        yield context.df.callActivity("A");
      },
      started(),
      V4,
    );
    expect(thrown).toBeInstanceOf(LockingRulesViolationError);
    expect(thrown).toMatchObject({ message, name: "LockingRulesViolationError" });
    expect(LockingRulesViolationError.code).toBe("LOCKING_RULES_VIOLATION");
  });

  it("allows another call to a locked entity once the first returned", async () => {
    const lockId = deterministicGuid(`instance-1_${START.getTime()}_0`);
    const sequential: Orchestrator = function* (context) {
      const lock = (yield context.df.lock(a)) as DurableLock;
      const first: unknown = yield context.df.callEntity(a, "get");
      const second: unknown = yield context.df.callEntity(a, "get");
      lock.release();
      return [first, second];
    };
    const history = started()
      .eventSent(0, "@account@a", "op", { id: lockId })
      .orchestratorCompleted()
      .episode()
      .eventRaised(lockId, {})
      .eventSent(1, "@account@a", "op", { id: "c1" })
      .orchestratorCompleted()
      .episode()
      .entityResponse("c1", 1)
      .eventSent(2, "@account@a", "op", { id: "c2" })
      .orchestratorCompleted()
      .episode()
      .entityResponse("c2", 2);
    expect((await replay(sequential, history, V4)).output).toEqual([1, 2]);
  });

  it("needs schema V4", async () => {
    const { state } = await replayFailure(function* (context) {
      yield context.df.lock(a);
    }, started());
    expect(state.error).toBe(
      "lock requires a Durable Functions extension that supports OOProc schema V4 or higher (this extension supports up to V3). " +
        "Please upgrade the Microsoft.Azure.WebJobs.Extensions.DurableTask package.",
    );
  });
});
