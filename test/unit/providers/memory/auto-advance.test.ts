import { HistoryEventType } from "../../../../src/protocol/history";
import { MemoryTaskHub, VirtualClock } from "../../../../src/providers/memory";
import type { OrchestrationWorkItem } from "../../../../src/providers/task-hub";
import {
  activityRequest,
  eventRaisedEvent,
  messageTo,
  orchestrationCheckpoint,
  startMessage,
  timerFiredEvent,
} from "../../../support/messages";

const DAY_MS = 24 * 60 * 60 * 1000;

/** Lets several macrotask turns pass, enough for an idle hub to move its clock. */
async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 30));
}

describe("MemoryTaskHub with autoAdvanceTime", () => {
  const start = Date.parse("2024-01-01T00:00:00.000Z");
  let clock: VirtualClock;
  let hub: MemoryTaskHub;

  beforeEach(() => {
    clock = new VirtualClock(start);
    hub = new MemoryTaskHub({ clock, autoAdvanceTime: true });
  });

  afterEach(async () => {
    await hub.stop();
  });

  async function lock(): Promise<OrchestrationWorkItem> {
    const workItem = await hub.lockNextOrchestrationWorkItem(AbortSignal.timeout(2000));
    if (!workItem) throw new Error("No orchestration work item.");
    return workItem;
  }

  function timerMessage(instanceId: string, afterMs: number) {
    const fireAt = new Date(start + afterMs).toISOString();
    return messageTo(instanceId, timerFiredEvent(1, fireAt), { visibleAt: fireAt });
  }

  it("fires a 7-day timer at once, in virtual time", async () => {
    const wallStart = Date.now();
    await hub.createInstance(startMessage({ instanceId: "a" }), []);
    const first = await lock();
    await hub.completeOrchestrationWorkItem(
      first,
      orchestrationCheckpoint({ orchestratorMessages: [timerMessage("a", 7 * DAY_MS)] }),
    );

    const fired = await lock();

    expect(fired.messages.map((message) => message.event.EventType)).toEqual([HistoryEventType.TimerFired]);
    expect(clock.now().getTime()).toBe(start + 7 * DAY_MS);
    expect(Date.now() - wallStart).toBeLessThan(1000);
  });

  it("moves to the earliest delayed message first", async () => {
    await hub.sendMessage(timerMessage("late", 7 * DAY_MS));
    await hub.sendMessage(timerMessage("soon", DAY_MS));

    const first = await lock();
    expect(first.instanceId).toBe("soon");
    expect(clock.now().getTime()).toBe(start + DAY_MS);
    await hub.completeOrchestrationWorkItem(first, orchestrationCheckpoint());

    expect((await lock()).instanceId).toBe("late");
    expect(clock.now().getTime()).toBe(start + 7 * DAY_MS);
  });

  it("does not move while an orchestration work item is locked", async () => {
    await hub.sendMessage(messageTo("busy", eventRaisedEvent("work")));
    await hub.sendMessage(timerMessage("sleeper", 7 * DAY_MS));
    const busy = await lock();

    await settle();
    expect(clock.now().getTime()).toBe(start);

    const waiting = lock();
    await settle();
    expect(clock.now().getTime()).toBe(start);

    await hub.completeOrchestrationWorkItem(busy, orchestrationCheckpoint());
    expect((await waiting).instanceId).toBe("sleeper");
    expect(clock.now().getTime()).toBe(start + 7 * DAY_MS);
  });

  it("does not move while an activity work item is locked", async () => {
    await hub.sendMessage(timerMessage("sleeper", 7 * DAY_MS));
    await hub.createInstance(startMessage({ instanceId: "a" }), []);
    const first = await lock();
    await hub.completeOrchestrationWorkItem(
      first,
      orchestrationCheckpoint({ activityMessages: [activityRequest("a", "exec-1", 0, "Slow")] }),
    );
    const activity = await hub.lockNextActivityWorkItem();

    await settle();
    expect(clock.now().getTime()).toBe(start);

    if (activity) await hub.abandonActivityWorkItem(activity);
    await settle();
    expect(clock.now().getTime()).toBe(start);
  });

  it("does not move while a visible message waits for a worker", async () => {
    await hub.sendMessage(messageTo("ready", eventRaisedEvent("now")));
    await hub.sendMessage(timerMessage("sleeper", 7 * DAY_MS));

    await settle();

    expect(clock.now().getTime()).toBe(start);
    expect((await lock()).instanceId).toBe("ready");
  });

  it("does not move once the hub has stopped", async () => {
    await hub.stop();
    await hub.sendMessage(timerMessage("sleeper", 7 * DAY_MS));

    await settle();

    expect(clock.now().getTime()).toBe(start);
  });
});
