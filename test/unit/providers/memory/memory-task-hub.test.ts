import { HistoryEventType, type HistoryEvent } from "../../../../src/protocol/history";
import { systemClock } from "../../../../src/providers/clock";
import { MemoryTaskHub, VirtualClock } from "../../../../src/providers/memory";
import type {
  ActivityWorkItem,
  OrchestrationWorkItem,
  TaskHub,
  TaskMessage,
} from "../../../../src/providers/task-hub";
import {
  activityRequest,
  eventRaisedEvent,
  messageTo,
  orchestrationCheckpoint,
  orchestratorCompletedEvent,
  orchestratorStartedEvent,
  startMessage,
  timerFiredEvent,
} from "../../../support/messages";

/** Locks whatever is ready now; undefined when nothing is (the wait is cut after one turn). */
async function lockReady(hub: TaskHub): Promise<OrchestrationWorkItem | undefined> {
  const controller = new AbortController();
  const locking = hub.lockNextOrchestrationWorkItem(controller.signal);
  setImmediate(() => controller.abort());
  return locking;
}

async function lockExpected(hub: TaskHub): Promise<OrchestrationWorkItem> {
  const workItem = await lockReady(hub);
  if (!workItem) throw new Error("Expected a ready orchestration work item.");
  return workItem;
}

async function lockActivityExpected(hub: TaskHub): Promise<ActivityWorkItem> {
  const workItem = await hub.lockNextActivityWorkItem(AbortSignal.timeout(1000));
  if (!workItem) throw new Error("Expected an activity work item.");
  return workItem;
}

function labels(workItem: OrchestrationWorkItem | undefined): string[] {
  return (workItem?.messages ?? []).map((message: TaskMessage) => {
    const event = message.event;
    return event.EventType === HistoryEventType.EventRaised
      ? `EventRaised:${event.Name}`
      : HistoryEventType[event.EventType];
  });
}

describe("MemoryTaskHub", () => {
  const start = "2024-01-01T00:00:00.000Z";
  let clock: VirtualClock;
  let hub: MemoryTaskHub;

  beforeEach(() => {
    clock = new VirtualClock(start);
    hub = new MemoryTaskHub({ clock });
  });

  afterEach(async () => {
    await hub.stop();
  });

  describe("options", () => {
    it("defaults to the Durable Functions hub name and the system clock", () => {
      const plain = new MemoryTaskHub();
      expect(plain.name).toBe("TestHubName");
      expect(plain.clock).toBe(systemClock);
      expect(new MemoryTaskHub({ name: "Other" }).name).toBe("Other");
    });

    it("brings its own virtual clock for autoAdvanceTime, and refuses a real one", () => {
      expect(new MemoryTaskHub({ autoAdvanceTime: true }).clock).toBeInstanceOf(VirtualClock);
      expect(() => new MemoryTaskHub({ clock: systemClock, autoAdvanceTime: true })).toThrow(TypeError);
    });
  });

  describe("on a virtual clock", () => {
    it("delivers a delayed message once the clock reaches its visibleAt, to a locker already waiting", async () => {
      const fireAt = "2024-01-01T01:00:00.000Z";
      await hub.sendMessage(messageTo("a", timerFiredEvent(1, fireAt), { visibleAt: fireAt }));
      const waiting = hub.lockNextOrchestrationWorkItem();
      let delivered: OrchestrationWorkItem | undefined;
      void waiting.then((workItem) => (delivered = workItem));

      clock.advanceTo("2024-01-01T00:59:59.999Z");
      await new Promise(setImmediate);
      expect(delivered).toBeUndefined();

      clock.advanceTo(fireAt);
      expect(labels(await waiting)).toEqual(["TimerFired"]);
    });

    it("reports when the next delayed message becomes visible", async () => {
      expect(hub.nextVisibleAt()).toBeUndefined();
      await hub.sendMessage(
        messageTo("a", eventRaisedEvent("late"), { visibleAt: "2024-01-02T00:00:00.000Z" }),
      );
      await hub.sendMessage(
        messageTo("b", eventRaisedEvent("sooner"), { visibleAt: "2024-01-01T12:00:00.000Z" }),
      );
      expect(hub.nextVisibleAt()?.toISOString()).toBe("2024-01-01T12:00:00.000Z");
    });

    it("records a scheduled start from the message's visibleAt", async () => {
      await hub.createInstance(startMessage({ instanceId: "a", visibleAt: "2024-01-03T00:00:00.000Z" }), []);
      expect((await hub.getInstance("a"))?.scheduledStartTime).toBe("2024-01-03T00:00:00.000Z");
      expect((await hub.getInstance("a"))?.lastUpdatedTime).toBe(start);
    });
  });

  describe("work item order", () => {
    it("serves ready instances first come, first served", async () => {
      for (const id of ["a", "b", "c"]) await hub.sendMessage(messageTo(id, eventRaisedEvent("x")));

      const first = await lockExpected(hub);
      await hub.sendMessage(messageTo("a", eventRaisedEvent("again")));
      await hub.completeOrchestrationWorkItem(first, orchestrationCheckpoint());

      const order = [first.instanceId];
      for (let index = 0; index < 3; index++) order.push((await lockExpected(hub)).instanceId);
      expect(order).toEqual(["a", "b", "c", "a"]);
    });

    it("puts abandoned messages back ahead of those that arrived meanwhile", async () => {
      await hub.createInstance(startMessage({ instanceId: "a" }), []);
      await hub.sendMessage(messageTo("a", eventRaisedEvent("one")));
      const workItem = await lockExpected(hub);
      await hub.sendMessage(messageTo("a", eventRaisedEvent("two")));

      await hub.abandonOrchestrationWorkItem(workItem);

      expect(labels(await lockExpected(hub))).toEqual([
        "ExecutionStarted",
        "EventRaised:one",
        "EventRaised:two",
      ]);
    });

    it("opens a new work item at each ExecutionStarted, so one never mixes two executions", async () => {
      await hub.sendMessage(messageTo("a", eventRaisedEvent("old")));
      await hub.sendMessage(startMessage({ instanceId: "a", executionId: "e2" }));
      await hub.sendMessage(messageTo("a", eventRaisedEvent("new")));
      await hub.sendMessage(startMessage({ instanceId: "a", executionId: "e3" }));

      const batches: string[][] = [];
      for (let index = 0; index < 3; index++) {
        const workItem = await lockExpected(hub);
        batches.push(labels(workItem));
        await hub.completeOrchestrationWorkItem(workItem, orchestrationCheckpoint());
      }

      expect(batches).toEqual([
        ["EventRaised:old"],
        ["ExecutionStarted", "EventRaised:new"],
        ["ExecutionStarted"],
      ]);
    });

    it("gives a work item that starts a new execution no history of the previous one", async () => {
      await hub.createInstance(startMessage({ instanceId: "a", executionId: "e1" }), []);
      const first = await lockExpected(hub);
      const events: HistoryEvent[] = [
        orchestratorStartedEvent(),
        first.messages[0].event,
        orchestratorCompletedEvent(),
      ];
      await hub.completeOrchestrationWorkItem(
        first,
        orchestrationCheckpoint({ history: { executionId: "e1", events, newEventCount: 3 } }),
      );
      await hub.sendMessage(startMessage({ instanceId: "a", executionId: "e2" }));

      expect((await lockExpected(hub)).history).toEqual([]);
      expect(await hub.getHistory("a")).toHaveLength(3);
    });
  });

  describe("bursts and long histories", () => {
    it("hands a burst of messages sent in one turn to a waiting worker as one work item", async () => {
      await hub.createInstance(startMessage({ instanceId: "a" }), []);
      await hub.completeOrchestrationWorkItem(await lockExpected(hub), orchestrationCheckpoint());
      const waiting = hub.lockNextOrchestrationWorkItem(AbortSignal.timeout(1000));
      await Promise.all(
        ["x", "y", "z"].map((name) => hub.sendMessage(messageTo("a", eventRaisedEvent(name)))),
      );

      expect(labels(await waiting)).toEqual(["EventRaised:x", "EventRaised:y", "EventRaised:z"]);
    });

    it("stores only a checkpoint's new events, frozen, and shares them with later work items", async () => {
      await hub.createInstance(startMessage({ instanceId: "a", executionId: "e1" }), []);
      const first = await lockExpected(hub);
      const events: HistoryEvent[] = [orchestratorStartedEvent(), first.messages[0].event];
      await hub.completeOrchestrationWorkItem(
        first,
        orchestrationCheckpoint({ history: { executionId: "e1", events, newEventCount: 2 } }),
      );
      (events[0] as { Timestamp: string }).Timestamp = "changed by the caller";

      await hub.sendMessage(messageTo("a", eventRaisedEvent("next")));
      const second = await lockExpected(hub);
      expect(second.history[0]?.Timestamp).not.toBe("changed by the caller");
      expect(() => {
        (second.history[0] as { Timestamp: string }).Timestamp = "changed by the worker";
      }).toThrow(TypeError);
      const appended = [...second.history, second.messages[0].event];
      await hub.completeOrchestrationWorkItem(
        second,
        orchestrationCheckpoint({ history: { executionId: "e1", events: appended, newEventCount: 1 } }),
      );

      await hub.sendMessage(messageTo("a", eventRaisedEvent("last")));
      const third = await lockExpected(hub);
      expect(third.history).toHaveLength(3);
      // The same objects: an episode does not copy the events stored before it.
      expect(third.history[0]).toBe(second.history[0]);
      expect(third.history[2]).not.toBe(second.messages[0].event);
    });
  });

  describe("deferred messages", () => {
    it("are never delivered on their own", async () => {
      await hub.sendMessage(messageTo("a", eventRaisedEvent("early")));
      const workItem = await lockExpected(hub);
      await hub.completeOrchestrationWorkItem(
        workItem,
        orchestrationCheckpoint({ deferredMessages: [...workItem.messages] }),
      );

      expect(await lockReady(hub)).toBeUndefined();
      expect(hub.isIdle()).toBe(true);
      expect(hub.pendingMessageCount()).toBe(1);
    });

    it("come first in the next work item, but after an ExecutionStarted that opens it", async () => {
      await hub.sendMessage(messageTo("a", eventRaisedEvent("early")));
      const workItem = await lockExpected(hub);
      await hub.completeOrchestrationWorkItem(
        workItem,
        orchestrationCheckpoint({ deferredMessages: [...workItem.messages] }),
      );
      await hub.sendMessage(startMessage({ instanceId: "a" }));
      await hub.sendMessage(messageTo("a", eventRaisedEvent("late")));

      expect(labels(await lockExpected(hub))).toEqual([
        "ExecutionStarted",
        "EventRaised:early",
        "EventRaised:late",
      ]);
    });

    it("wait for a delayed message to become visible, not just to arrive", async () => {
      await hub.sendMessage(messageTo("a", eventRaisedEvent("early")));
      const workItem = await lockExpected(hub);
      await hub.completeOrchestrationWorkItem(
        workItem,
        orchestrationCheckpoint({ deferredMessages: [...workItem.messages] }),
      );
      const fireAt = "2024-01-01T00:10:00.000Z";
      await hub.sendMessage(messageTo("a", timerFiredEvent(1, fireAt), { visibleAt: fireAt }));

      expect(await lockReady(hub)).toBeUndefined();
      clock.advanceTo(fireAt);
      expect(labels(await lockExpected(hub))).toEqual(["EventRaised:early", "TimerFired"]);
    });
  });

  describe("purgeInstance", () => {
    it("also drops the instance's queued, delayed and deferred messages", async () => {
      await hub.createInstance(startMessage({ instanceId: "a" }), []);
      await hub.sendMessage(
        messageTo("a", eventRaisedEvent("later"), { visibleAt: "2024-01-02T00:00:00.000Z" }),
      );
      await hub.sendMessage(messageTo("b", eventRaisedEvent("kept")));

      expect(await hub.purgeInstance("a")).toBe(1);

      expect(hub.pendingMessageCount()).toBe(1);
      expect(hub.nextVisibleAt()).toBeUndefined();
      expect((await lockExpected(hub)).instanceId).toBe("b");
    });
  });

  describe("misuse", () => {
    it("refuses to complete or abandon a work item twice", async () => {
      await hub.sendMessage(messageTo("a", eventRaisedEvent("x")));
      const workItem = await lockExpected(hub);
      await hub.completeOrchestrationWorkItem(workItem, orchestrationCheckpoint());

      await expect(hub.completeOrchestrationWorkItem(workItem, orchestrationCheckpoint())).rejects.toThrow(
        /not locked/,
      );
      await expect(hub.abandonOrchestrationWorkItem(workItem)).rejects.toThrow(/not locked/);
    });

    it("refuses a checkpoint whose appended events do not extend the stored history, and writes nothing", async () => {
      await hub.createInstance(startMessage({ instanceId: "a" }), []);
      const workItem = await lockExpected(hub);
      const events = [orchestratorStartedEvent(), workItem.messages[0].event];
      const request = activityRequest("a", "exec-1", 0, "Hello");

      const commit = hub.completeOrchestrationWorkItem(
        workItem,
        orchestrationCheckpoint({
          history: { executionId: "exec-1", events, newEventCount: 1 },
          activityMessages: [request],
        }),
      );

      await expect(commit).rejects.toThrow(/History conflict/);
      expect(await hub.getHistory("a")).toEqual([]);
      expect(hub.pendingMessageCount()).toBe(0);
      await hub.abandonOrchestrationWorkItem(workItem);
      expect(labels(await lockExpected(hub))).toEqual(["ExecutionStarted"]);
    });

    it("refuses a start message that is not an ExecutionStarted", async () => {
      await expect(hub.createInstance(messageTo("a", eventRaisedEvent("x")), [])).rejects.toThrow(TypeError);
    });

    it("refuses a message with an unreadable visibleAt", async () => {
      await expect(
        hub.sendMessage(messageTo("a", eventRaisedEvent("x"), { visibleAt: "soon" })),
      ).rejects.toThrow(TypeError);
    });

    it("refuses a bad page size or a continuation token it did not issue", async () => {
      await expect(hub.queryInstances({ pageSize: 0 })).rejects.toThrow(RangeError);
      await expect(hub.queryInstances({ continuationToken: "not-a-token" })).rejects.toThrow(RangeError);
    });
  });

  describe("queries", () => {
    it("leaves inputs and outputs out when asked to", async () => {
      await hub.createInstance(startMessage({ instanceId: "a", input: { big: true } }), []);
      const page = await hub.queryInstances({ fetchInputsAndOutputs: false });
      expect(page.instances[0]).toMatchObject({ instanceId: "a", input: null, output: null });
    });
  });

  describe("stop and start", () => {
    it("answers lockers at once while stopped, and serves them again after start", async () => {
      await hub.sendMessage(messageTo("a", eventRaisedEvent("x")));
      await hub.stop();
      expect(await hub.lockNextOrchestrationWorkItem()).toBeUndefined();

      await hub.start();
      expect((await lockExpected(hub)).instanceId).toBe("a");
    });
  });

  describe("inspection", () => {
    it("tracks idleness, queued messages and locked work items", async () => {
      expect(hub.isIdle()).toBe(true);
      await hub.createInstance(startMessage({ instanceId: "a" }), []);
      expect(hub.isIdle()).toBe(false);
      expect(hub.pendingMessageCount()).toBe(1);

      const workItem = await lockExpected(hub);
      expect(hub.isIdle()).toBe(false);
      expect(hub.pendingMessageCount()).toBe(0);
      expect(hub.lockedWorkItemCount()).toBe(1);

      const idle = hub.whenIdle();
      let settled = false;
      void idle.then(() => (settled = true));
      await new Promise(setImmediate);
      expect(settled).toBe(false);

      await hub.completeOrchestrationWorkItem(
        workItem,
        orchestrationCheckpoint({ activityMessages: [activityRequest("a", "exec-1", 0, "Hello")] }),
      );
      const activity = await lockActivityExpected(hub);
      expect(hub.lockedWorkItemCount()).toBe(1);
      expect(settled).toBe(false);

      await hub.abandonActivityWorkItem(activity);
      expect(hub.isIdle()).toBe(false);
      const again = await lockActivityExpected(hub);
      await hub.completeActivityWorkItem(again, messageTo("a", eventRaisedEvent("done")));
      await hub.completeOrchestrationWorkItem(await lockExpected(hub), orchestrationCheckpoint());

      await idle;
      expect(hub.isIdle()).toBe(true);
      expect(hub.lockedWorkItemCount()).toBe(0);
    });

    it("counts a delayed message as pending but not as work", async () => {
      await hub.sendMessage(
        messageTo("a", eventRaisedEvent("later"), { visibleAt: "2024-01-02T00:00:00.000Z" }),
      );
      expect(hub.isIdle()).toBe(true);
      expect(hub.pendingMessageCount()).toBe(1);
      await expect(hub.whenIdle()).resolves.toBeUndefined();
    });
  });
});
