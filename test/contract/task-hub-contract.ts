/**
 * The behaviour every TaskHub must show to the engine, written against the TaskHub interface
 * only, so the same suite runs on the memory provider and on Azure Storage (Azurite).
 * Timing is real: waits are bounded by `deliveryTimeoutMs`, and "nothing is delivered" means
 * nothing within `quietPeriodMs`.
 */
import { randomUUID } from "node:crypto";
import { HistoryEventType, type HistoryEvent } from "../../src/protocol/history";
import {
  InstanceExistsError,
  type ActivityWorkItem,
  type InstanceState,
  type OrchestrationWorkItem,
  type TaskHub,
  type TaskMessage,
} from "../../src/providers/task-hub";
import {
  activityRequest,
  activityResponse,
  eventRaisedEvent,
  executionCompletedEvent,
  messageTo,
  orchestrationCheckpoint as checkpoint,
  orchestratorCompletedEvent,
  orchestratorStartedEvent,
  startMessage,
  taskScheduledEvent,
  timerFiredEvent,
} from "../support/messages";

export interface TaskHubContractOptions {
  /** How long a queued message may take to be delivered (polling, I/O). Default 5000 ms. */
  deliveryTimeoutMs?: number;
  /** How long to wait before concluding that nothing is delivered. Default 300 ms. */
  quietPeriodMs?: number;
  /** How far ahead delayed messages are made visible. Default 200 ms. */
  visibilityDelayMs?: number;
  /** Cleans up after each test. Default: stop(), then deleteHub(). */
  disposeHub?: (hub: TaskHub) => Promise<void>;
}

/** `createHub` must give an empty hub each time; the suite calls createIfNotExists and start. */
export function describeTaskHubContract(
  providerName: string,
  createHub: () => Promise<TaskHub>,
  options: TaskHubContractOptions = {},
): void {
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? 5000;
  const quietPeriodMs = options.quietPeriodMs ?? 300;
  const visibilityDelayMs = options.visibilityDelayMs ?? 200;
  const disposeHub =
    options.disposeHub ??
    (async (hub: TaskHub): Promise<void> => {
      await hub.stop();
      await hub.deleteHub();
    });

  describe(`TaskHub contract: ${providerName}`, () => {
    let hub: TaskHub;
    /** Unique per test, so that a provider whose storage outlives a test cannot confuse two. */
    let run: string;
    const id = (name: string): string => `${run}-${name}`;

    beforeEach(async () => {
      run = `ct${randomUUID().slice(0, 8)}`;
      hub = await createHub();
      await hub.createIfNotExists();
      await hub.start();
    });

    afterEach(async () => {
      await disposeHub(hub);
    });

    // ---- helpers bound to the current hub ----

    async function nextOrchestration(): Promise<OrchestrationWorkItem> {
      const workItem = await hub.lockNextOrchestrationWorkItem(AbortSignal.timeout(deliveryTimeoutMs));
      if (!workItem) throw new Error(`No orchestration work item within ${deliveryTimeoutMs} ms.`);
      return workItem;
    }

    async function nextActivity(): Promise<ActivityWorkItem> {
      const workItem = await hub.lockNextActivityWorkItem(AbortSignal.timeout(deliveryTimeoutMs));
      if (!workItem) throw new Error(`No activity work item within ${deliveryTimeoutMs} ms.`);
      return workItem;
    }

    async function expectNoOrchestration(waitMs = quietPeriodMs): Promise<void> {
      const workItem = await hub.lockNextOrchestrationWorkItem(AbortSignal.timeout(waitMs));
      if (workItem) await hub.abandonOrchestrationWorkItem(workItem);
      expect(workItem && describeWorkItem(workItem)).toBeUndefined();
    }

    async function expectNoActivity(): Promise<void> {
      const workItem = await hub.lockNextActivityWorkItem(AbortSignal.timeout(quietPeriodMs));
      if (workItem) await hub.abandonActivityWorkItem(workItem);
      expect(workItem?.message.event).toBeUndefined();
    }

    async function start(name: string, extra: { createdAt?: string; input?: unknown } = {}): Promise<string> {
      const instanceId = id(name);
      await hub.createInstance(
        startMessage({
          instanceId,
          executionId: `${instanceId}-e1`,
          input: extra.input,
          timestamp: extra.createdAt,
        }),
        ["Pending", "Running"],
      );
      return instanceId;
    }

    /** Runs the first episode of a started instance: it schedules activity "Hello" as task 0. */
    async function firstEpisode(
      instanceId: string,
    ): Promise<{ events: HistoryEvent[]; request: TaskMessage }> {
      const workItem = await nextOrchestration();
      expect(workItem.instanceId).toBe(instanceId);
      const started = workItem.messages[0].event;
      const request = activityRequest(instanceId, executionIdOf(workItem), 0, "Hello", "world");
      const events = [orchestratorStartedEvent(), started, request.event, orchestratorCompletedEvent()];
      await hub.completeOrchestrationWorkItem(
        workItem,
        checkpoint({
          history: { executionId: executionIdOf(workItem), events, newEventCount: events.length },
          state: runningState(workItem),
          activityMessages: [request],
        }),
      );
      return { events, request };
    }

    describe("lifecycle", () => {
      it("creates its storage idempotently and names itself", async () => {
        await hub.createIfNotExists();
        expect(typeof hub.name).toBe("string");
        expect(hub.name.length).toBeGreaterThan(0);
        expect(hub.clock.now()).toBeInstanceOf(Date);
      });

      it("hands out work again when started after a stop", async () => {
        await hub.stop();
        await hub.start();
        const instanceId = await start("a");
        expect((await nextOrchestration()).instanceId).toBe(instanceId);
      });
    });

    describe("createInstance", () => {
      it("records the instance as Pending with the details of its start event", async () => {
        const instanceId = id("a");
        const message = startMessage({
          instanceId,
          executionId: "e1",
          name: "Greeter",
          input: { who: "world" },
          version: "1.0",
          timestamp: "2024-03-01T10:00:00.000Z",
        });
        await hub.createInstance(message, ["Pending", "Running"]);

        const state = await hub.getInstance(instanceId);
        expect(state).toMatchObject({
          instanceId,
          name: "Greeter",
          version: "1.0",
          executionId: "e1",
          runtimeStatus: "Pending",
          input: JSON.stringify({ who: "world" }),
          output: null,
          completedTime: null,
          parentInstanceId: null,
          scheduledStartTime: null,
          generation: 0,
        });
        expect(sameTime(state?.createdTime, "2024-03-01T10:00:00.000Z")).toBe(true);
        expect(await hub.getHistory(instanceId)).toEqual([]);
      });

      it("records the parent of a sub-orchestration", async () => {
        const instanceId = id("child");
        await hub.createInstance(
          startMessage({ instanceId, parent: { instanceId: id("parent"), executionId: "p1" } }),
          [],
        );
        expect((await hub.getInstance(instanceId))?.parentInstanceId).toBe(id("parent"));
      });

      it("refuses an id whose instance has one of the dedupe statuses", async () => {
        const instanceId = id("a");
        await hub.createInstance(startMessage({ instanceId, executionId: "e1" }), ["Pending", "Running"]);
        const duplicate = hub.createInstance(startMessage({ instanceId, executionId: "e2" }), [
          "Pending",
          "Running",
        ]);

        await expect(duplicate).rejects.toBeInstanceOf(InstanceExistsError);
        await expect(duplicate).rejects.toMatchObject({ instanceId, runtimeStatus: "Pending" });
        expect((await hub.getInstance(instanceId))?.executionId).toBe("e1");
      });

      it("starts an id again as the next generation when its status is not a dedupe status", async () => {
        const instanceId = await start("a");
        const workItem = await nextOrchestration();
        const events = [
          orchestratorStartedEvent(),
          workItem.messages[0].event,
          executionCompletedEvent("done"),
        ];
        await hub.completeOrchestrationWorkItem(
          workItem,
          checkpoint({
            history: { executionId: executionIdOf(workItem), events, newEventCount: events.length },
            state: { ...runningState(workItem), runtimeStatus: "Completed", output: '"done"' },
          }),
        );

        await hub.createInstance(startMessage({ instanceId, executionId: "second" }), ["Pending", "Running"]);

        expect(await hub.getInstance(instanceId)).toMatchObject({
          runtimeStatus: "Pending",
          executionId: "second",
          generation: 1,
        });
        const restart = await nextOrchestration();
        expect(restart.instanceId).toBe(instanceId);
        expect(restart.messages.map(eventType)).toEqual(["ExecutionStarted"]);
        expect(restart.history).toEqual([]);
      });

      it("records a start that is scheduled for later, and does not deliver it early", async () => {
        const instanceId = id("later");
        const visibleAt = new Date(hub.clock.now().getTime() + 3_600_000).toISOString();
        await hub.createInstance(startMessage({ instanceId, visibleAt }), []);

        const state = await hub.getInstance(instanceId);
        expect(state?.runtimeStatus).toBe("Pending");
        expect(sameTime(state?.scheduledStartTime, visibleAt)).toBe(true);
        await expectNoOrchestration();
      });
    });

    describe("orchestration work items", () => {
      it("delivers an instance's messages in arrival order in one work item, with its state", async () => {
        const instanceId = await start("a", { input: 42 });
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("first")));
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("second")));

        const workItem = await nextOrchestration();

        expect(workItem.instanceId).toBe(instanceId);
        expect(workItem.messages.map(eventLabel)).toEqual([
          "ExecutionStarted",
          "EventRaised:first",
          "EventRaised:second",
        ]);
        expect(workItem.history).toEqual([]);
        expect(workItem.state).toMatchObject({ instanceId, runtimeStatus: "Pending", input: "42" });
      });

      it("includes the committed history and state in the next work item", async () => {
        const instanceId = await start("a");
        const { events } = await firstEpisode(instanceId);
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("ping")));

        const workItem = await nextOrchestration();

        expect(workItem.history.map(eventLabel)).toEqual(events.map(eventLabel));
        expect(workItem.state?.runtimeStatus).toBe("Running");
        expect(workItem.messages.map(eventLabel)).toEqual(["EventRaised:ping"]);
      });

      it("wakes a waiting locker when a message arrives", async () => {
        const waiting = hub.lockNextOrchestrationWorkItem(AbortSignal.timeout(deliveryTimeoutMs));
        const instanceId = await start("a");
        expect((await waiting)?.instanceId).toBe(instanceId);
      });

      it("gives concurrent lockers distinct instances", async () => {
        const first = await start("a");
        const second = await start("b");

        const workItems = await Promise.all([nextOrchestration(), nextOrchestration()]);

        expect(workItems.map((workItem) => workItem.instanceId).sort()).toEqual([first, second].sort());
      });

      it("does not hand out a locked instance, and keeps its new messages for the next work item", async () => {
        const instanceId = await start("a");
        const workItem = await nextOrchestration();
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("meanwhile")));

        await expectNoOrchestration();
        await hub.completeOrchestrationWorkItem(workItem, checkpoint({ state: runningState(workItem) }));

        const next = await nextOrchestration();
        expect(next.instanceId).toBe(instanceId);
        expect(next.messages.map(eventLabel)).toEqual(["EventRaised:meanwhile"]);
      });

      it("delivers the messages of an abandoned work item again", async () => {
        const instanceId = await start("a");
        const workItem = await nextOrchestration();
        await hub.abandonOrchestrationWorkItem(workItem);

        const retry = await nextOrchestration();

        expect(retry.instanceId).toBe(instanceId);
        expect(retry.messages.map(eventLabel)).toEqual(["ExecutionStarted"]);
        expect(executionIdOf(retry)).toBe(executionIdOf(workItem));
      });

      it("delivers messages for an instance that does not exist, and consumes them", async () => {
        const instanceId = id("ghost");
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("boo")));

        const workItem = await nextOrchestration();
        expect(workItem.instanceId).toBe(instanceId);
        expect(workItem.state).toBeUndefined();
        expect(workItem.history).toEqual([]);
        await hub.completeOrchestrationWorkItem(workItem, checkpoint({}));

        await expectNoOrchestration();
        expect(await hub.getInstance(instanceId)).toBeUndefined();
      });
    });

    describe("checkpoints", () => {
      it("appends each episode's events to the history and writes the state", async () => {
        const instanceId = await start("a");
        const { events, request } = await firstEpisode(instanceId);
        expect((await hub.getHistory(instanceId)).map(eventLabel)).toEqual(events.map(eventLabel));
        expect((await hub.getInstance(instanceId))?.runtimeStatus).toBe("Running");

        await hub.sendMessage(activityResponse(request, "hi"));
        const workItem = await nextOrchestration();
        const added = [orchestratorStartedEvent(), workItem.messages[0].event, executionCompletedEvent("hi")];
        const all = [...workItem.history, ...added];
        await hub.completeOrchestrationWorkItem(
          workItem,
          checkpoint({
            history: { executionId: executionIdOf(workItem), events: all, newEventCount: added.length },
            state: { ...runningState(workItem), runtimeStatus: "Completed", output: '"hi"' },
          }),
        );

        expect((await hub.getHistory(instanceId)).map(eventLabel)).toEqual([
          "OrchestratorStarted",
          "ExecutionStarted",
          "TaskScheduled:Hello",
          "OrchestratorCompleted",
          "OrchestratorStarted",
          "TaskCompleted",
          "ExecutionCompleted",
        ]);
        expect(await hub.getInstance(instanceId)).toMatchObject({
          runtimeStatus: "Completed",
          output: '"hi"',
        });
      });

      it("sends activity requests to the activity queue", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);

        const activity = await nextActivity();

        expect(activity.message.instance.instanceId).toBe(instanceId);
        expect(eventLabel(activity.message)).toBe("TaskScheduled:Hello");
        expect(activity.message.event).toMatchObject({ EventId: 0, Input: JSON.stringify("world") });
      });

      it("sends orchestrator messages to the instances they name", async () => {
        const instanceId = await start("a");
        const workItem = await nextOrchestration();
        const child = id("child");
        const other = id("other");
        await hub.completeOrchestrationWorkItem(
          workItem,
          checkpoint({
            state: runningState(workItem),
            orchestratorMessages: [
              startMessage({
                instanceId: child,
                parent: { instanceId, executionId: executionIdOf(workItem) },
              }),
              messageTo(other, eventRaisedEvent("hello")),
            ],
          }),
        );

        const delivered = [await nextOrchestration(), await nextOrchestration()];

        expect(delivered.map((item) => [item.instanceId, item.messages.map(eventLabel)]).sort()).toEqual(
          [
            [child, ["ExecutionStarted"]],
            [other, ["EventRaised:hello"]],
          ].sort(),
        );
      });

      it("consumes the messages of a completed work item", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);
        await expectNoOrchestration();
      });

      it("replaces the history when the execution id changes (continue-as-new)", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("restart")));
        const workItem = await nextOrchestration();

        const restarted = startMessage({ instanceId, executionId: "next" }).event;
        const events = [orchestratorStartedEvent(), restarted, orchestratorCompletedEvent()];
        await hub.completeOrchestrationWorkItem(
          workItem,
          checkpoint({
            history: { executionId: "next", events, newEventCount: events.length },
            state: { ...runningState(workItem), executionId: "next" },
          }),
        );

        expect((await hub.getHistory(instanceId)).map(eventLabel)).toEqual([
          "OrchestratorStarted",
          "ExecutionStarted",
          "OrchestratorCompleted",
        ]);
        expect((await hub.getInstance(instanceId))?.executionId).toBe("next");
      });

      it("writes the whole history again when it was rewritten", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("rewind")));
        const workItem = await nextOrchestration();

        const events = [workItem.history[0], workItem.history[1], taskScheduledEvent(0, "Replaced")];
        await hub.completeOrchestrationWorkItem(
          workItem,
          checkpoint({
            history: { executionId: executionIdOf(workItem), events, newEventCount: 0, rewritten: true },
            state: runningState(workItem),
          }),
        );

        expect((await hub.getHistory(instanceId)).map(eventLabel)).toEqual([
          "OrchestratorStarted",
          "ExecutionStarted",
          "TaskScheduled:Replaced",
        ]);
      });

      it("keeps deferred messages back until another message arrives, then delivers them with it", async () => {
        const instanceId = await start("a");
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("early")));
        const workItem = await nextOrchestration();
        const early = workItem.messages.find((message) => eventLabel(message) === "EventRaised:early");
        expect(early).toBeDefined();
        await hub.completeOrchestrationWorkItem(
          workItem,
          checkpoint({ state: runningState(workItem), deferredMessages: early ? [early] : [] }),
        );

        await expectNoOrchestration();
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("late")));

        const next = await nextOrchestration();
        expect(next.instanceId).toBe(instanceId);
        expect(next.messages.map(eventLabel).sort()).toEqual(["EventRaised:early", "EventRaised:late"]);
      });
    });

    describe("delayed messages", () => {
      it("does not deliver a message before its visibleAt", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);
        const visibleAtMs = hub.clock.now().getTime() + visibilityDelayMs;
        const fireAt = new Date(visibleAtMs).toISOString();
        await hub.sendMessage(messageTo(instanceId, timerFiredEvent(1, fireAt), { visibleAt: fireAt }));

        await expectNoOrchestration(visibilityDelayMs / 2);
        const workItem = await nextOrchestration();

        expect(hub.clock.now().getTime()).toBeGreaterThanOrEqual(visibleAtMs);
        expect(workItem.instanceId).toBe(instanceId);
        expect(workItem.messages.map(eventLabel)).toEqual(["TimerFired"]);
      });

      it("delivers visible messages without waiting for delayed ones of the same instance", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);
        const fireAt = new Date(hub.clock.now().getTime() + 3_600_000).toISOString();
        await hub.sendMessage(messageTo(instanceId, timerFiredEvent(1, fireAt), { visibleAt: fireAt }));
        await hub.sendMessage(messageTo(instanceId, eventRaisedEvent("now")));

        const workItem = await nextOrchestration();

        expect(workItem.messages.map(eventLabel)).toEqual(["EventRaised:now"]);
      });
    });

    describe("activity work items", () => {
      it("routes the response to the work item of the orchestration that scheduled the activity", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);
        const activity = await nextActivity();

        await hub.completeActivityWorkItem(activity, activityResponse(activity.message, "hi"));
        const workItem = await nextOrchestration();

        expect(workItem.instanceId).toBe(instanceId);
        expect(workItem.messages.map((message) => message.event)).toMatchObject([
          { EventType: HistoryEventType.TaskCompleted, TaskScheduledId: 0, Result: '"hi"' },
        ]);
        expect(workItem.history.map(eventLabel)).toContain("TaskScheduled:Hello");
      });

      it("consumes a completed request", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);
        const activity = await nextActivity();
        await hub.completeActivityWorkItem(activity, activityResponse(activity.message, "hi"));

        await expectNoActivity();
      });

      it("delivers an abandoned request again", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);
        await hub.abandonActivityWorkItem(await nextActivity());

        const retry = await nextActivity();

        expect(retry.message.instance.instanceId).toBe(instanceId);
        expect(eventLabel(retry.message)).toBe("TaskScheduled:Hello");
      });

      it("hands each request to one worker", async () => {
        const instanceId = await start("a");
        const workItem = await nextOrchestration();
        const executionId = executionIdOf(workItem);
        await hub.completeOrchestrationWorkItem(
          workItem,
          checkpoint({
            state: runningState(workItem),
            activityMessages: [
              activityRequest(instanceId, executionId, 0, "One"),
              activityRequest(instanceId, executionId, 1, "Two"),
            ],
          }),
        );

        const activities = await Promise.all([nextActivity(), nextActivity()]);

        expect(activities.map((activity) => eventLabel(activity.message)).sort()).toEqual([
          "TaskScheduled:One",
          "TaskScheduled:Two",
        ]);
        await expectNoActivity();
      });
    });

    describe("queryInstances", () => {
      const base = Date.parse("2024-05-01T00:00:00.000Z");
      const at = (seconds: number): string => new Date(base + seconds * 1000).toISOString();

      /** Five instances created a second apart; "s1" runs, "s3" completed, the others are Pending. */
      async function seed(): Promise<string[]> {
        const ids: string[] = [];
        for (let index = 0; index < 5; index++) ids.push(await start(`s${index}`, { createdAt: at(index) }));
        const statuses: Record<string, InstanceState["runtimeStatus"]> = {
          [ids[1]]: "Running",
          [ids[3]]: "Completed",
        };
        for (let index = 0; index < ids.length; index++) {
          const workItem = await nextOrchestration();
          const status = statuses[workItem.instanceId];
          await hub.completeOrchestrationWorkItem(
            workItem,
            checkpoint(status ? { state: { ...runningState(workItem), runtimeStatus: status } } : {}),
          );
        }
        return ids;
      }

      const ids = (states: InstanceState[]): string[] => states.map((state) => state.instanceId);

      it("filters by runtime status", async () => {
        const seeded = await seed();
        const page = await hub.queryInstances({
          instanceIdPrefix: run,
          runtimeStatus: ["Running", "Completed"],
        });
        expect(ids(page.instances)).toEqual([seeded[1], seeded[3]]);
      });

      it("filters by created time, both bounds included", async () => {
        const seeded = await seed();
        const page = await hub.queryInstances({
          instanceIdPrefix: run,
          createdTimeFrom: at(1),
          createdTimeTo: at(3),
        });
        expect(ids(page.instances)).toEqual(seeded.slice(1, 4));
      });

      it("filters by instance id prefix", async () => {
        await seed();
        const other = await start("x-other");
        const page = await hub.queryInstances({ instanceIdPrefix: `${run}-x-` });
        expect(ids(page.instances)).toEqual([other]);
      });

      it("leaves entities out unless they are asked for", async () => {
        const entityId = `@counter@${run}`;
        await hub.createInstance(startMessage({ instanceId: entityId }), []);

        expect((await hub.queryInstances({ instanceIdPrefix: entityId })).instances).toEqual([]);
        const withEntities = await hub.queryInstances({ instanceIdPrefix: entityId, includeEntities: true });
        expect(ids(withEntities.instances)).toEqual([entityId]);
      });

      it("pages through the results in created-time order with continuation tokens", async () => {
        const seeded = await seed();
        const pages: InstanceState[][] = [];
        let token: string | undefined;
        do {
          const page = await hub.queryInstances({
            instanceIdPrefix: run,
            pageSize: 2,
            continuationToken: token,
          });
          pages.push(page.instances);
          token = page.continuationToken;
        } while (token !== undefined && pages.length < 10);

        expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
        expect(pages.flatMap(ids)).toEqual(seeded);
        expect(ids((await hub.queryInstances({ instanceIdPrefix: run })).instances)).toEqual(seeded);
      });

      it.each([
        ["garbage", "not-a-token"],
        ["base64 of something else", Buffer.from("[1,2]").toString("base64")],
        ["base64 of broken JSON", Buffer.from("{").toString("base64")],
      ])("refuses a continuation token it did not issue (%s) with a RangeError", async (_label, token) => {
        await expect(hub.queryInstances({ pageSize: 2, continuationToken: token })).rejects.toThrow(
          expect.objectContaining({
            name: "RangeError",
            message: expect.stringContaining("continuation token"),
          }),
        );
      });

      it("returns an empty last page when nothing matches", async () => {
        await seed();
        const page = await hub.queryInstances({
          instanceIdPrefix: run,
          runtimeStatus: ["Failed"],
          pageSize: 2,
        });
        expect(page.instances).toEqual([]);
        expect(page.continuationToken).toBeUndefined();
      });
    });

    describe("purgeInstance", () => {
      it("removes the state and the history of the instance", async () => {
        const instanceId = await start("a");
        await firstEpisode(instanceId);

        expect(await hub.purgeInstance(instanceId)).toBe(1);

        expect(await hub.getInstance(instanceId)).toBeUndefined();
        expect(await hub.getHistory(instanceId)).toEqual([]);
        expect(await hub.purgeInstance(instanceId)).toBe(0);
      });

      it("returns 0 for an unknown instance and leaves the others alone", async () => {
        const other = await start("kept");
        expect(await hub.purgeInstance(id("unknown"))).toBe(0);
        expect((await hub.getInstance(other))?.runtimeStatus).toBe("Pending");
      });
    });

    describe("getHistory", () => {
      it("returns no events for an unknown instance", async () => {
        expect(await hub.getHistory(id("unknown"))).toEqual([]);
      });
    });

    describe("onInstanceChanged", () => {
      it("reports instances this process creates and checkpoints, until unsubscribed", async () => {
        const changed: string[] = [];
        const unsubscribe = hub.onInstanceChanged((instanceId) => changed.push(instanceId));

        const instanceId = await start("a");
        expect(changed).toContain(instanceId);
        changed.length = 0;
        await firstEpisode(instanceId);
        expect(changed).toContain(instanceId);

        unsubscribe();
        changed.length = 0;
        await start("b");
        expect(changed).toEqual([]);
      });
    });

    describe("stop and abort", () => {
      it("releases waiting lockers when the hub stops", async () => {
        const orchestration = hub.lockNextOrchestrationWorkItem();
        const activity = hub.lockNextActivityWorkItem();

        await hub.stop();

        await expect(orchestration).resolves.toBeUndefined();
        await expect(activity).resolves.toBeUndefined();
      });

      it("releases a waiting locker whose signal aborts, without losing the next message", async () => {
        const controller = new AbortController();
        const orchestration = hub.lockNextOrchestrationWorkItem(controller.signal);
        const activity = hub.lockNextActivityWorkItem(controller.signal);

        controller.abort();

        await expect(orchestration).resolves.toBeUndefined();
        await expect(activity).resolves.toBeUndefined();
        const instanceId = await start("a");
        expect((await nextOrchestration()).instanceId).toBe(instanceId);
      });

      it("returns undefined at once for a signal that has already aborted", async () => {
        await start("a");
        const aborted = AbortSignal.abort();
        await expect(hub.lockNextOrchestrationWorkItem(aborted)).resolves.toBeUndefined();
        await expect(hub.lockNextActivityWorkItem(aborted)).resolves.toBeUndefined();
      });
    });

    describe("isolation", () => {
      it("keeps stored data safe from changes to the objects passed in and handed out", async () => {
        const instanceId = id("a");
        const message = startMessage({ instanceId, name: "Original" });
        await hub.createInstance(message, []);
        message.event.Name = "Changed by the caller";

        const workItem = await nextOrchestration();
        expect(workItem.messages[0].event).toMatchObject({ Name: "Original" });
        (workItem.messages[0].event as { Name: string }).Name = "Changed by the worker";
        await hub.abandonOrchestrationWorkItem(workItem);

        const retry = await nextOrchestration();
        expect(retry.messages[0].event).toMatchObject({ Name: "Original" });
        const state = await hub.getInstance(instanceId);
        if (state) state.name = "Changed by the reader";
        expect((await hub.getInstance(instanceId))?.name).toBe("Original");
      });
    });
  });
}

// ---- pure helpers ----

/** The execution the work item belongs to: that of its start message, or of its stored state. */
function executionIdOf(workItem: OrchestrationWorkItem): string {
  const started = workItem.messages.find(
    (message) => message.event.EventType === HistoryEventType.ExecutionStarted,
  );
  if (started?.event.EventType === HistoryEventType.ExecutionStarted) {
    return started.event.OrchestrationInstance.ExecutionId;
  }
  if (!workItem.state) throw new Error(`Work item of '${workItem.instanceId}' has no execution.`);
  return workItem.state.executionId;
}

function runningState(workItem: OrchestrationWorkItem): InstanceState {
  if (!workItem.state) throw new Error(`Work item of '${workItem.instanceId}' has no state.`);
  return { ...workItem.state, runtimeStatus: "Running", executionId: executionIdOf(workItem) };
}

function eventType(message: TaskMessage): string {
  return HistoryEventType[message.event.EventType];
}

/** "EventType" or "EventType:Name", enough to tell the events of a test apart. */
function eventLabel(item: TaskMessage | HistoryEvent): string {
  const event = "event" in item ? item.event : item;
  const name =
    "Name" in event && event.EventType !== HistoryEventType.ExecutionStarted ? `:${event.Name}` : "";
  return `${HistoryEventType[event.EventType]}${name}`;
}

function describeWorkItem(workItem: OrchestrationWorkItem): string {
  return `${workItem.instanceId}: ${workItem.messages.map(eventLabel).join(", ")}`;
}

/** Compares ISO times by instant, since stores may round-trip them with another precision. */
function sameTime(actual: string | null | undefined, expected: string): boolean {
  return actual !== null && actual !== undefined && Date.parse(actual) === Date.parse(expected);
}
