/**
 * An activity result for an instance this process owns never becomes a control-queue message:
 * the activity's request stands for it in storage until the history holds it
 * (docs/azure-storage.md, "Activity results").
 */
import * as df from "../../../src/index";
import { HistoryEventType } from "../../../src/protocol/history";
import { AzureStorageTaskHub, type AzureStorageTaskHubOptions } from "../../../src/providers/azure-storage";
import type {
  OrchestrationCheckpoint,
  OrchestrationWorkItem,
  TaskMessage,
} from "../../../src/providers/task-hub";
import {
  ScenarioHub,
  recordingStorageClients,
  testStorageClients,
  waitFor,
  type QueueCall,
} from "./azure-test-hub";

let stepRuns = 0;

df.app.orchestration("LocalResultsThreeSteps", function* (context) {
  const results: string[] = [];
  for (const step of ["a", "b", "c"]) results.push(yield context.df.callActivity("LocalResultsStep", step));
  return results.join("");
});

df.app.activity("LocalResultsStep", {
  handler: (step: string) => {
    stepRuns++;
    return step.toUpperCase();
  },
});

/** Gives back the first episode that takes an activity result, as a failed commit would. */
class FailsFirstResultEpisode extends AzureStorageTaskHub {
  failures = 0;

  override async completeOrchestrationWorkItem(
    workItem: OrchestrationWorkItem,
    checkpoint: OrchestrationCheckpoint,
  ): Promise<void> {
    if (this.failures === 0 && workItem.messages.some(isTaskCompleted)) {
      this.failures++;
      throw new Error("simulated commit failure");
    }
    await super.completeOrchestrationWorkItem(workItem, checkpoint);
  }
}

function isTaskCompleted(message: TaskMessage): boolean {
  return message.event.EventType === HistoryEventType.TaskCompleted;
}

async function workItemQueueIsEmpty(hub: AzureStorageTaskHub): Promise<boolean> {
  const queue = testStorageClients().queueService.getQueueClient(hub.resources.workItemQueue);
  return (await queue.getProperties()).approximateMessagesCount === 0;
}

describe("activity results for instances this process owns", () => {
  let scenario: ScenarioHub;

  beforeEach(() => (stepRuns = 0));

  afterEach(async () => {
    await scenario.dispose();
  });

  it("reach the orchestration without a control-queue send, and their requests are deleted after", async () => {
    const calls: QueueCall[] = [];
    scenario = await ScenarioHub.create({ clients: recordingStorageClients(calls), partitionCount: 1 });
    await scenario.startWorker();
    const instanceId = await scenario.client.startNew("LocalResultsThreeSteps");

    const state = await scenario.client.waitForCompletion(instanceId, 15_000);
    expect(JSON.parse(state?.output ?? "null")).toBe("ABC");
    const controlSends = calls.filter((call) => call.kind === "send" && call.queue.includes("-control-"));
    const requestSends = calls.filter((call) => call.kind === "send" && call.queue.endsWith("-workitems"));
    // The start is the one control-queue message; each step sent its request only.
    expect(controlSends).toHaveLength(1);
    expect(requestSends).toHaveLength(3);
    await waitFor(() => workItemQueueIsEmpty(scenario.hub), 10_000, "every request deleted");
    expect(stepRuns).toBe(3);
    expect(scenario.errors).toEqual([]);
  }, 30_000);

  it("run the activity again when the episode that took the result is given back", async () => {
    let hub: FailsFirstResultEpisode | undefined;
    scenario = await ScenarioHub.create({ partitionCount: 1 }, (options: AzureStorageTaskHubOptions) => {
      hub = new FailsFirstResultEpisode(options);
      return hub;
    });
    await scenario.startWorker();
    const instanceId = await scenario.client.startNew("LocalResultsThreeSteps");

    const state = await scenario.client.waitForCompletion(instanceId, 20_000);
    expect(JSON.parse(state?.output ?? "null")).toBe("ABC");
    expect(hub?.failures).toBe(1);
    // The request came back after the abandon back-off and ran once more.
    expect(stepRuns).toBe(4);
    const history = await scenario.client.getHistory(instanceId);
    expect(history.filter((event) => event.EventType === HistoryEventType.TaskCompleted)).toHaveLength(3);
    await waitFor(() => workItemQueueIsEmpty(scenario.hub), 10_000, "every request deleted");
    expect(scenario.errors.filter((error) => !error.includes("simulated commit failure"))).toEqual([]);
  }, 30_000);
});
