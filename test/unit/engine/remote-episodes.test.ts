import * as events from "../../../src/engine/history-events";
import type { FunctionInvoker } from "../../../src/engine/invoker";
import {
  OrchestrationRunner,
  defaultRunnerSettings,
} from "../../../src/engine/orchestration/orchestration-runner";
import type {
  RemoteAction,
  RemoteEpisode,
  RemoteExecutor,
} from "../../../src/engine/orchestration/remote-executor";
import { HistoryEventType, OrchestrationStatusCode, type HistoryEvent } from "../../../src/protocol/history";
import { SchemaVersion } from "../../../src/protocol/orchestrator-state";
import type { OrchestrationWorkItem } from "../../../src/providers/task-hub";

const at = "2026-01-02T03:04:05.000Z";
const clock = { now: () => new Date("2026-01-02T03:05:00.000Z") };
const start = events.executionStarted({
  instanceId: "i1",
  executionId: "e1",
  name: "seq",
  input: "5",
  timestamp: at,
});

/** A remote worker that answers each episode with the given actions and records what it saw. */
function remoteWorker(...answers: RemoteAction[][]): RemoteExecutor & { seen: RemoteEpisode[] } {
  const seen: RemoteEpisode[] = [];
  return {
    seen,
    runEpisode: (episode) => {
      seen.push(episode);
      return Promise.resolve({ actions: answers.shift() ?? [], customStatus: '"step"' });
    },
    runActivity: () => Promise.reject(new Error("not used")),
  };
}

function invokerKnowing(...orchestrators: string[]): FunctionInvoker {
  return {
    hasFunction: (kind, name) => kind === "orchestration" && orchestrators.includes(name),
    invokeOrchestrator: () =>
      Promise.resolve({ isDone: true, actions: [[]], output: "local", schemaVersion: SchemaVersion.V4 }),
    invokeActivity: () => Promise.reject(new Error("not used")),
    invokeEntity: () => Promise.reject(new Error("not used")),
  };
}

function firstEpisode(): OrchestrationWorkItem {
  return {
    instanceId: "i1",
    history: [],
    state: undefined,
    messages: [{ event: start, instance: { instanceId: "i1", executionId: "e1" } }],
  };
}

const types = (list: readonly HistoryEvent[]) => list.map((e) => HistoryEventType[e.EventType]);

describe("orchestration episodes run by a remote worker", () => {
  it("hands an orchestrator the invoker does not know to the remote worker and applies its actions", async () => {
    const remote = remoteWorker([{ id: 1, kind: "scheduleTask", name: "say", version: null, input: '"a"' }]);
    const runner = new OrchestrationRunner(invokerKnowing(), clock, defaultRunnerSettings, remote);
    const checkpoint = await runner.run(firstEpisode());

    expect(remote.seen).toHaveLength(1);
    expect(remote.seen[0]?.past).toEqual([]);
    expect(types(remote.seen[0]?.newEvents ?? [])).toEqual(["OrchestratorStarted", "ExecutionStarted"]);
    expect(types(checkpoint.history?.events ?? [])).toEqual([
      "OrchestratorStarted",
      "ExecutionStarted",
      "TaskScheduled",
      "OrchestratorCompleted",
    ]);
    expect(checkpoint.activityMessages.map((m) => m.event.EventId)).toEqual([1]);
    expect(checkpoint.state).toMatchObject({ runtimeStatus: "Running", customStatus: '"step"' });
  });

  it("ends the execution with the remote worker's result", async () => {
    const remote = remoteWorker([
      {
        id: 1,
        kind: "completeOrchestration",
        status: OrchestrationStatusCode.Completed,
        result: "[1]",
        failureDetails: null,
      },
    ]);
    const runner = new OrchestrationRunner(invokerKnowing(), clock, defaultRunnerSettings, remote);
    const checkpoint = await runner.run(firstEpisode());
    expect(checkpoint.state).toMatchObject({ runtimeStatus: "Completed", output: "[1]" });
  });

  it("fails the execution, naming why, when the actions contradict history", async () => {
    const remote = remoteWorker([{ id: 1, kind: "scheduleTask", name: "other", version: null, input: null }]);
    const runner = new OrchestrationRunner(invokerKnowing(), clock, defaultRunnerSettings, remote);
    const history = [
      events.orchestratorStarted(at),
      start,
      events.taskScheduled(1, "say", null, at),
      events.orchestratorCompleted(at),
    ];
    const checkpoint = await runner.run({ instanceId: "i1", history, state: undefined, messages: [] });
    expect(checkpoint.state?.runtimeStatus).toBe("Failed");
    expect(checkpoint.state?.output).toMatch(/history records activity 'say'/);
  });

  it("leaves orchestrators the invoker knows to the invoker", async () => {
    const remote = remoteWorker();
    const runner = new OrchestrationRunner(invokerKnowing("seq"), clock, defaultRunnerSettings, remote);
    const checkpoint = await runner.run(firstEpisode());
    expect(remote.seen).toEqual([]);
    expect(checkpoint.state).toMatchObject({ runtimeStatus: "Completed", output: '"local"' });
  });
});
