/**
 * An instance's next episode runs while the history commit of the one before is still under
 * way; commits keep their order, and a failed one takes the episodes after it down with it.
 */
import * as df from "../../../src/index";
import { HistoryEventType } from "../../../src/protocol/history";
import type { AzureStorageTaskHub } from "../../../src/providers/azure-storage";
import { ScenarioHub, delay } from "./azure-test-hub";

const runs: { step: string; commitsEnded: number }[] = [];
let commitsEnded = 0;

df.app.orchestration("PipelinedThreeSteps", function* (context) {
  const results: string[] = [];
  for (const step of ["a", "b", "c"]) results.push(yield context.df.callActivity("PipelinedStep", step));
  return results.join("");
});

df.app.activity("PipelinedStep", {
  handler: (step: string) => {
    runs.push({ step, commitsEnded });
    return step.toUpperCase();
  },
});

interface HistoryCommitter {
  commit(...args: unknown[]): Promise<string | undefined>;
}

/** Makes every history commit of the hub take `delayMs` longer, and fail when `fail` says so. */
function slowCommits(hub: AzureStorageTaskHub, delayMs: number, fail: (index: number) => boolean): void {
  const history = (hub as unknown as { history: HistoryCommitter }).history;
  const commit = history.commit.bind(history);
  let started = 0;
  history.commit = async (...args) => {
    const index = started++;
    await delay(delayMs);
    if (fail(index)) throw new Error(`simulated failure of commit ${index}`);
    try {
      return await commit(...args);
    } finally {
      commitsEnded++;
    }
  };
}

describe("pipelined history commits", () => {
  let scenario: ScenarioHub;

  beforeEach(() => {
    runs.length = 0;
    commitsEnded = 0;
  });

  afterEach(async () => {
    await scenario.dispose();
  });

  it("run the next steps while the first commit is still under way", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    slowCommits(scenario.hub, 400, () => false);
    await scenario.startWorker();
    const instanceId = await scenario.client.startNew("PipelinedThreeSteps");

    const state = await scenario.client.waitForCompletion(instanceId, 20_000);
    expect(JSON.parse(state?.output ?? "null")).toBe("ABC");
    // Each step's request went out before the commit of the episode before it had ended.
    expect(runs).toEqual([
      { step: "a", commitsEnded: 0 },
      { step: "b", commitsEnded: 0 },
      { step: "c", commitsEnded: 0 },
    ]);
    const history = await scenario.client.getHistory(instanceId);
    expect(history.filter((event) => event.EventType === HistoryEventType.TaskCompleted)).toHaveLength(3);
    expect(scenario.errors).toEqual([]);
  }, 30_000);

  it("give back the episodes after a failed commit, and finish with each result recorded once", async () => {
    scenario = await ScenarioHub.create({ partitionCount: 1 });
    // The second commit (the episode that took a's result) fails once.
    slowCommits(scenario.hub, 100, (index) => index === 1);
    await scenario.startWorker();
    const instanceId = await scenario.client.startNew("PipelinedThreeSteps");

    const state = await scenario.client.waitForCompletion(instanceId, 30_000);
    expect(JSON.parse(state?.output ?? "null")).toBe("ABC");
    const history = await scenario.client.getHistory(instanceId);
    const completed = history.filter((event) => event.EventType === HistoryEventType.TaskCompleted);
    expect(completed).toHaveLength(3);
    expect(history.filter((event) => event.EventType === HistoryEventType.TaskScheduled)).toHaveLength(3);
    expect(scenario.errors.length).toBeGreaterThan(0);
    expect(scenario.errors.every((error) => error.includes("simulated failure of commit 1"))).toBe(true);
  }, 40_000);
});
