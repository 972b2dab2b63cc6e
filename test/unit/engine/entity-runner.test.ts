/**
 * The entity scheduler's pure logic with a scripted entity function: queueing, batch limits,
 * locks, rollback, requests that come again. The end-to-end behaviour with real SDKs and providers is in test/engine.
 */
import { EntityRunner } from "../../../src/engine/entities/entity-runner";
import {
  HANDLED_REQUEST_WINDOW_MS,
  HandledRequests,
  MAX_HANDLED_REQUESTS,
  requestDigest,
  type HandledGroup,
} from "../../../src/engine/entities/handled-requests";
import type { FunctionInvoker } from "../../../src/engine/invoker";
import * as events from "../../../src/engine/history-events";
import type {
  EntityBatchRequest,
  EntityBatchResult,
  EntityRequestMessage,
} from "../../../src/protocol/entities";
import { HistoryEventType, type HistoryEvent } from "../../../src/protocol/history";
import type {
  OrchestrationCheckpoint,
  OrchestrationWorkItem,
  TaskMessage,
} from "../../../src/providers/task-hub";
import { VirtualClock } from "../../../src/providers/memory/virtual-clock";

const START = new Date("2026-01-01T00:00:00Z");
const ENTITY = "@tally@k";

/**
 * A tally entity: "add" adds its input, "fail" adds 1000 and throws (as the official worker
 * does, the change stays in the batch's state), "ping" signals another entity.
 */
class ScriptedTally implements FunctionInvoker {
  readonly batches: EntityBatchRequest[] = [];

  hasFunction(kind: string, name: string): boolean {
    return kind === "entity" && name === "tally";
  }
  invokeOrchestrator(): never {
    throw new Error("not an orchestrator host");
  }
  invokeActivity(): never {
    throw new Error("not an activity host");
  }
  async invokeEntity(_name: string, request: EntityBatchRequest): Promise<EntityBatchResult> {
    this.batches.push(structuredClone(request));
    let value = request.state === null ? 0 : (JSON.parse(request.state) as number);
    const result: EntityBatchResult = { results: [], signals: [], entityExists: true };
    for (const operation of request.batch) {
      const input = operation.input === null ? 0 : (JSON.parse(operation.input) as number);
      if (operation.name === "fail") {
        value += 1000;
        result.signals.push({ target: { name: "Other", key: "x" }, name: "fromFailed", input: "" });
        result.results.push({ isError: true, duration: 0, startTime: 0, result: "{}" });
        continue;
      }
      if (operation.name === "ping") {
        result.signals.push({
          target: { name: "Other", key: "x" },
          name: "pinged",
          input: String(value),
          requestId: operation.id,
        });
      }
      if (operation.name === "add") value += input;
      result.results.push({ isError: false, duration: 0, startTime: 0, result: JSON.stringify(value) });
    }
    result.entityState = JSON.stringify(value);
    return result;
  }
}

let sequence = 0;
function request(fields: Partial<EntityRequestMessage>): TaskMessage {
  const body: EntityRequestMessage = { id: `req-${++sequence}`, ...fields };
  return {
    event: events.eventRaised("op", JSON.stringify(body), START.toISOString()),
    instance: { instanceId: ENTITY, executionId: null },
  };
}

function release(parent: string): TaskMessage {
  return {
    event: events.eventRaised("release", JSON.stringify({ parent, id: "lock-1" }), START.toISOString()),
    instance: { instanceId: ENTITY, executionId: null },
  };
}

function workItem(messages: TaskMessage[], previous?: OrchestrationCheckpoint): OrchestrationWorkItem {
  return {
    instanceId: ENTITY,
    history: previous?.history?.events ?? [],
    state: previous?.state,
    messages,
  };
}

function schedulerState(checkpoint: OrchestrationCheckpoint): Record<string, unknown> {
  const started = checkpoint.history?.events.find(
    (e: HistoryEvent) => e.EventType === HistoryEventType.ExecutionStarted,
  );
  return JSON.parse(
    started?.EventType === HistoryEventType.ExecutionStarted ? (started.Input ?? "{}") : "{}",
  );
}

/** The scheduler state without the properties only durable-ts keeps (DurableTask.Core's view of it). */
function coreSchedulerState(checkpoint: OrchestrationCheckpoint): Record<string, unknown> {
  const { handled: _handled, lockRequestId: _lockRequestId, ...core } = schedulerState(checkpoint);
  return core;
}

function sentTo(checkpoint: OrchestrationCheckpoint): [string, string, unknown][] {
  return checkpoint.orchestratorMessages.map((m) => {
    const event = m.event as { Name: string; Input: string | null };
    return [m.instance.instanceId, event.Name, event.Input === null ? null : JSON.parse(event.Input)];
  });
}

describe("EntityRunner", () => {
  let tally: ScriptedTally;
  let runner: EntityRunner;
  beforeEach(() => {
    tally = new ScriptedTally();
    runner = new EntityRunner(tally, new VirtualClock(START), { maxEntityOperationBatchSize: 3 });
  });

  it("runs up to the batch size, keeps the rest queued and wakes itself for them", async () => {
    const adds = Array.from({ length: 5 }, () => request({ op: "add", signal: true, input: "1" }));
    const first = await runner.run(workItem(adds));
    expect(tally.batches[0]?.batch.map((o) => o.name)).toEqual(["add", "add", "add"]);
    expect(schedulerState(first)).toMatchObject({ exists: true, state: "3" });
    expect((schedulerState(first).queue as unknown[]).length).toBe(2);
    expect(sentTo(first)).toEqual([[ENTITY, "continue", null]]);
    expect(first.state).toMatchObject({ runtimeStatus: "Running", name: "tally" });
    expect(JSON.parse(first.state?.customStatus ?? "")).toEqual({ entityExists: true, queueSize: 2 });

    const second = await runner.run(workItem([first.orchestratorMessages[0] as TaskMessage], first));
    expect(coreSchedulerState(second)).toEqual({ exists: true, state: "5" });
    expect(sentTo(second)).toEqual([]);
    // One execution id for the entity's whole life: each batch replaces its one execution.
    expect(second.history?.executionId).toBe(first.history?.executionId);
  });

  it("answers callers with results and errors and rolls a failed operation back", async () => {
    const checkpoint = await runner.run(
      workItem([
        request({ op: "add", input: "2", parent: "orch", parentExecution: "e1" }),
        request({ op: "fail", parent: "orch", parentExecution: "e1" }),
        request({ op: "ping", signal: true }),
      ]),
    );
    // The first pass failed at "fail"; "add" ran again alone to learn the state "fail" saw.
    expect(tally.batches.map((b) => b.batch.map((o) => o.name))).toEqual([
      ["add", "fail", "ping"],
      ["add"],
      ["ping"],
    ]);
    expect(coreSchedulerState(checkpoint)).toEqual({ exists: true, state: "2" });
    const sent = sentTo(checkpoint);
    expect(sent).toContainEqual(["orch", expect.stringMatching(/^req-/), { result: "2" }]);
    expect(sent).toContainEqual([
      "orch",
      expect.stringMatching(/^req-/),
      { result: "{}", exceptionType: "Error" },
    ]);
    // The failed operation's signal is dropped with its state change; ping's goes out.
    expect(
      sent.filter(([to]) => to === "@other@x").map(([, , body]) => (body as EntityRequestMessage).op),
    ).toEqual(["pinged"]);
  });

  it("grants a lock, forwards it along the lock set, and serves only the holder until released", async () => {
    const lockset = [
      { name: "tally", key: "k" },
      { name: "tally", key: "next" },
    ];
    const locked = await runner.run(
      workItem([request({ id: "lock-1", parent: "holder", parentExecution: "e1", lockset, pos: 0 })]),
    );
    expect(schedulerState(locked)).toMatchObject({ lockedBy: "holder" });
    expect(sentTo(locked)).toEqual([
      ["@tally@next", "op", { id: "lock-1", parent: "holder", parentExecution: "e1", lockset, pos: 1 }],
    ]);

    const busy = await runner.run(
      workItem(
        [
          request({ op: "add", signal: true, input: "5", parent: "stranger" }),
          request({ op: "add", input: "1", parent: "holder", parentExecution: "e1" }),
        ],
        locked,
      ),
    );
    expect(tally.batches.map((b) => b.batch.map((o) => o.input))).toEqual([["1"]]);
    expect(schedulerState(busy)).toMatchObject({ state: "1", lockedBy: "holder" });

    const released = await runner.run(workItem([release("someone-else"), release("holder")], busy));
    expect(tally.batches.map((b) => b.batch.map((o) => o.input))).toEqual([["1"], ["5"]]);
    expect(coreSchedulerState(released)).toEqual({ exists: true, state: "6" });
  });

  it("answers the last entity of a lock set's request with the lock grant", async () => {
    const checkpoint = await runner.run(
      workItem([
        request({
          id: "lock-9",
          parent: "holder",
          parentExecution: "e1",
          lockset: [{ name: "tally", key: "k" }],
        }),
      ]),
    );
    expect(checkpoint.orchestratorMessages[0]?.instance).toEqual({ instanceId: "holder", executionId: "e1" });
    expect(sentTo(checkpoint)).toEqual([["holder", "lock-9", { result: "Lock Acquisition Completed" }]]);
  });

  it("sends a scheduled signal that came early round again, due at its time", async () => {
    const due = new Date(START.getTime() + 60_000).toISOString();
    const early = request({ op: "add", signal: true, input: "1", due });
    const checkpoint = await runner.run(workItem([early]));
    expect(tally.batches).toEqual([]);
    expect(checkpoint.orchestratorMessages).toEqual([{ ...early, visibleAt: due }]);
  });

  it("fails every operation of an entity no function implements, and keeps no state", async () => {
    const unknown = new EntityRunner(tally, new VirtualClock(START));
    const checkpoint = await unknown.run({
      ...workItem([request({ op: "add", parent: "orch", parentExecution: "e1" })]),
      instanceId: "@nobody@k",
    });
    expect(sentTo(checkpoint)).toEqual([
      [
        "orch",
        expect.any(String),
        {
          result: JSON.stringify(
            "The function 'nobody' doesn't exist, is disabled, or is not an entity function.",
          ),
          exceptionType: "Error",
        },
      ],
    ]);
    expect(coreSchedulerState(checkpoint)).toEqual({});
  });

  it("keeps no record for an entity that only ever got a release", async () => {
    const stray = await runner.run(workItem([release("nobody")]));
    expect(stray.history).toBeUndefined();
    expect(stray.state).toBeUndefined();
  });

  it("writes nothing when a batch changes nothing", async () => {
    const first = await runner.run(workItem([request({ op: "add", signal: true, input: "1" })]));
    const idle = await runner.run(workItem([release("nobody")], first));
    expect(idle.history).toBeUndefined();
    expect(idle.state).toBeUndefined();
  });
});

describe("EntityRunner, when requests come again", () => {
  let tally: ScriptedTally;
  let runner: EntityRunner;
  let clock: VirtualClock;
  beforeEach(() => {
    tally = new ScriptedTally();
    clock = new VirtualClock(START);
    runner = new EntityRunner(tally, clock, { maxEntityOperationBatchSize: 3 });
  });

  it("drops a request its committed batch applied, and answers its caller once", async () => {
    const call = request({ op: "add", input: "2", parent: "orch", parentExecution: "e1" });
    const applied = await runner.run(workItem([call]));
    expect(sentTo(applied)).toHaveLength(1);

    // The batch committed, the message was not deleted: it comes again, with a new one.
    const again = await runner.run(
      workItem([call, request({ op: "add", input: "1", signal: true })], applied),
    );
    expect(tally.batches.map((b) => b.batch.map((o) => o.input))).toEqual([["2"], ["1"]]);
    expect(coreSchedulerState(again)).toEqual({ exists: true, state: "3" });
    expect(sentTo(again)).toEqual([]);

    const alone = await runner.run(workItem([call], again));
    expect(tally.batches).toHaveLength(2);
    expect(alone.history).toBeUndefined();
    expect(alone.orchestratorMessages).toEqual([]);
  });

  it("drops a copy of a request still waiting in the queue, and a second copy in one batch", async () => {
    const adds = Array.from({ length: 5 }, () => request({ op: "add", signal: true, input: "1" }));
    const first = await runner.run(workItem([...adds, adds[0] as TaskMessage]));
    expect(tally.batches[0]?.batch).toHaveLength(3);
    expect(schedulerState(first).queue).toHaveLength(2);

    const second = await runner.run(workItem([...adds, ...first.orchestratorMessages], first));
    expect(tally.batches.map((b) => b.batch.length)).toEqual([3, 2]);
    expect(coreSchedulerState(second)).toEqual({ exists: true, state: "5" });
  });

  it("grants a lock request once, and a release that comes again opens no later lock", async () => {
    const lockset = [{ name: "tally", key: "k" }];
    const lock = (id: string) => request({ id, parent: "holder", parentExecution: "e1", lockset, pos: 0 });
    const releaseOf = (id: string): TaskMessage => ({
      event: events.eventRaised("release", JSON.stringify({ parent: "holder", id }), START.toISOString()),
      instance: { instanceId: ENTITY, executionId: null },
    });

    const first = await runner.run(workItem([lock("lock-a")]));
    expect(sentTo(first)).toEqual([["holder", "lock-a", { result: "Lock Acquisition Completed" }]]);
    const regranted = await runner.run(workItem([lock("lock-a")], first));
    expect(regranted.orchestratorMessages).toEqual([]);

    const released = await runner.run(workItem([releaseOf("lock-a")], first));
    expect(coreSchedulerState(released)).toEqual({});
    const second = await runner.run(workItem([lock("lock-b")], released));
    expect(schedulerState(second)).toMatchObject({ lockedBy: "holder", lockRequestId: "lock-b" });

    // The first critical section's release and lock request come again: neither counts.
    const stale = await runner.run(
      workItem(
        [releaseOf("lock-a"), lock("lock-a"), request({ op: "add", signal: true, input: "7" })],
        second,
      ),
    );
    expect(stale.orchestratorMessages).toEqual([]);
    expect(schedulerState(stale)).toMatchObject({ lockedBy: "holder", lockRequestId: "lock-b" });
    expect(tally.batches).toEqual([]);

    const open = await runner.run(workItem([releaseOf("lock-b")], stale));
    expect(coreSchedulerState(open)).toEqual({ exists: true, state: "7" });
  });

  it("lets a release without an id (the client's orphaned-lock clean-up) open the holder's lock", async () => {
    const locked = await runner.run(
      workItem([request({ id: "lock-c", parent: "holder", parentExecution: "e1", lockset: [] })]),
    );
    const released = await runner.run(workItem([releaseWithoutId()], locked));
    expect(coreSchedulerState(released)).toEqual({});
  });

  it("gives the signals of a batch run again the same ids, one per operation and position", async () => {
    const pings = [request({ op: "ping", signal: true }), request({ op: "ping", signal: true })];
    const signalIds = (checkpoint: OrchestrationCheckpoint) =>
      sentTo(checkpoint).map(([, , body]) => (body as EntityRequestMessage).id);
    const once = signalIds(await runner.run(workItem(pings)));
    const again = signalIds(await runner.run(workItem(pings)));
    expect(once).toHaveLength(2);
    expect(new Set(once).size).toBe(2);
    expect(again).toEqual(once);
  });

  it("forgets handled requests after the window, and keeps at most the limit", async () => {
    const first = await runner.run(workItem([request({ id: "old", op: "add", signal: true, input: "1" })]));
    const soon = await runner.run(workItem([request({ op: "add", signal: true, input: "1" })], first));
    // Batches within a minute share one group.
    expect(schedulerState(soon).handled).toHaveLength(1);
    clock.advance(HANDLED_REQUEST_WINDOW_MS + 2 * 60_000);
    const later = await runner.run(workItem([request({ op: "add", signal: true, input: "1" })], soon));
    const handled = schedulerState(later).handled as HandledGroup[];
    expect(handled).toHaveLength(1);
    expect(handled[0]?.ids).not.toContain(requestDigest("old"));

    const full = new HandledRequests(handled).withBatch(
      Array.from({ length: MAX_HANDLED_REQUESTS }, (_, i) => `bulk-${i}`),
      clock.now(),
    );
    expect(full.flatMap((batch) => batch.ids)).toHaveLength(MAX_HANDLED_REQUESTS);
    expect(new HandledRequests(full).has("bulk-0")).toBe(true);
    expect(new HandledRequests(full).has("old")).toBe(false);
  });
});

function releaseWithoutId(): TaskMessage {
  return {
    event: events.eventRaised("release", JSON.stringify({ parent: "holder", id: "" }), START.toISOString()),
    instance: { instanceId: ENTITY, executionId: null },
  };
}
