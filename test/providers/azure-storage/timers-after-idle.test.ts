/**
 * Durable timers fire on time after the hub sat idle (docs/azure-storage.md, "Timers"): an idle
 * control-queue poller backs off to `maxQueuePollingIntervalMs` between receives, and a timer
 * message that shows in the queue during such a wait would be received only at the next poll.
 * The process that sent the timer, or loaded a history awaiting it, wakes the poller at its time.
 *
 * Each test waits for the idle back-off first, on a shortened `maxQueuePollingIntervalMs`, and
 * sets the timer's due time where the back-off alone would be seconds late; the queue requests
 * are recorded to see when the poller receives.
 */
import { TaskHubClient } from "../../../src/engine/client";
import * as df from "../../../src/index";
import { HistoryEventType } from "../../../src/protocol/history";
import { ScenarioHub, delay, recordingStorageClients, waitFor, type QueueCall } from "./azure-test-hub";

/** The most a timer may come after its due time: the queue's whole-second delays and one episode. */
const ON_TIME_MS = 1500;

df.app.orchestration("IdleTimerAt", function* (context) {
  yield context.df.createTimer(new Date(context.df.getInput<string>()));
  return context.df.currentUtcDateTime.toISOString();
});

df.app.orchestration("IdleTimerAndEvent", function* (context) {
  const timer = context.df.createTimer(new Date(context.df.getInput<string>()));
  yield context.df.Task.all([timer, context.df.waitForExternalEvent("Go")]);
  return context.df.currentUtcDateTime.toISOString();
});

function receiveTimes(calls: readonly QueueCall[], queue: string, from = 0): number[] {
  return calls
    .slice(from)
    .flatMap((call) => (call.kind === "receive" && call.queue === queue ? [call.atMs] : []));
}

/**
 * Resolves, just after it, with the time of a receive that came a full `maxPollMs` after the one
 * before: the poller has backed off all the way, and waits `maxPollMs` again now.
 */
async function pollOnceBackedOff(
  calls: readonly QueueCall[],
  queue: string,
  maxPollMs: number,
): Promise<number> {
  let polledAt = 0;
  await waitFor(
    () => {
      const times = receiveTimes(calls, queue);
      const [before, last] = times.slice(-2);
      if (last === undefined || before === undefined || last - before < maxPollMs * 0.95) return false;
      polledAt = last;
      return Date.now() - last < 200;
    },
    60_000,
    "a poller backed off fully",
    20,
  );
  return polledAt;
}

/** How late the orchestration saw its timer fire: it returns its clock of that episode. */
function latenessMs(output: string | null | undefined, dueMs: number): number {
  return Date.parse(JSON.parse(output ?? "null") as string) - dueMs;
}

describe("timers after the hub sat idle", () => {
  let scenario: ScenarioHub;

  afterEach(async () => {
    await scenario.dispose();
  });

  it("fire on time when this process sent them, without polling while they wait", async () => {
    const maxPollMs = 4000;
    const calls: QueueCall[] = [];
    scenario = await ScenarioHub.create({
      clients: recordingStorageClients(calls),
      partitionCount: 1,
      maxQueuePollingIntervalMs: maxPollMs,
    });
    await scenario.startWorker();
    const queue = scenario.hub.resources.controlQueues[0];

    const polledAt = await pollOnceBackedOff(calls, queue, maxPollMs);
    // The next idle poll comes at polledAt + 4 s: three seconds after the timer is due.
    const dueMs = polledAt + 1000;
    const instanceId = await scenario.client.startNew("IdleTimerAt", {
      input: JSON.stringify(new Date(dueMs).toISOString()),
    });
    const state = await scenario.client.waitForCompletion(instanceId, 15_000);

    expect(state?.runtimeStatus).toBe("Completed");
    const late = latenessMs(state?.output, dueMs);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(ON_TIME_MS);
    // One wake at the due time, not polls while the timer waits.
    expect(receiveTimes(calls, queue).filter((at) => at > polledAt + 50 && at < dueMs)).toEqual([]);
    expect(scenario.errors).toEqual([]);
  }, 60_000);

  it("fire on time after a restart, once the new process loaded the history awaiting them", async () => {
    const maxPollMs = 8000;
    const calls: QueueCall[] = [];
    scenario = await ScenarioHub.create({
      clients: recordingStorageClients(calls),
      partitionCount: 1,
      maxQueuePollingIntervalMs: maxPollMs,
    });
    const queue = scenario.hub.resources.controlQueues[0];
    // A fresh poller waits 10 ms, 20, 40... (each ±20%) up to 8 s: after ten empty receives it
    // has waited 8.3 to 12.4 s, and the eleventh wait is 8 s, so nothing is received from 12.4
    // (plus the receives' own time) to 16.3 s after the first receive. The timer falls in there.
    const firstPollAfterMs = 4000;
    const dueAfterFirstPollMs = 13_500;
    const dueMs = Date.now() + firstPollAfterMs + dueAfterFirstPollMs;

    // The first process creates the timer, then stops before it is due.
    const first = await scenario.startWorker();
    const instanceId = await scenario.client.startNew("IdleTimerAndEvent", {
      input: JSON.stringify(new Date(dueMs).toISOString()),
    });
    await waitFor(
      async () =>
        (await scenario.client.getHistory(instanceId)).some(
          (e) => e.EventType === HistoryEventType.TimerCreated,
        ),
      10_000,
      "the timer created",
    );
    await first.stop();
    await scenario.hub.stop();

    // A new process on the same storage: it knows nothing of the timer until it loads the history.
    const second = scenario.sibling();
    await delay(dueMs - dueAfterFirstPollMs - Date.now());
    const from = calls.length;
    await scenario.startWorker({}, second);
    await waitFor(() => receiveTimes(calls, queue, from).length > 0, 5000, "the new process polling");
    const firstPollAt = receiveTimes(calls, queue, from)[0];
    // Should the plan above have slipped, the test would prove nothing: say so.
    expect(dueMs - firstPollAt).toBeGreaterThan(12_900);
    expect(dueMs - firstPollAt).toBeLessThan(14_500);

    // The event's episode loads the history, which awaits the timer.
    const client = new TaskHubClient(second);
    await client.raiseEvent(instanceId, "Go", null);
    const state = await client.waitForCompletion(instanceId, 25_000);

    expect(state?.runtimeStatus).toBe("Completed");
    const late = latenessMs(state?.output, dueMs);
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThan(ON_TIME_MS);
    expect(scenario.errors).toEqual([]);
  }, 60_000);
});
