/**
 * The real Durable Task SDK (@microsoft/durabletask-js from npm) runs a sequence of three
 * activities against our gRPC endpoint over the memory hub; the instance it started is an
 * ordinary instance of our engine, with the history DurableTask.AzureStorage would store.
 */
import {
  NoOpLogger,
  OrchestrationStatus,
  TaskHubGrpcClient,
  TaskHubGrpcWorker,
  type ActivityContext,
  type OrchestrationContext,
} from "@microsoft/durabletask-js";
import { HistoryEventType, type HistoryEvent } from "../../src/protocol/history";
import { GrpcEndpoint } from "../../src/host/grpc/grpc-endpoint";
import { MemoryTaskHub } from "../../src/providers/memory/memory-task-hub";
import { freePort } from "../support/free-port";

describe("gRPC endpoint: a Durable Task SDK sequence on the memory hub", () => {
  let endpoint: GrpcEndpoint;
  let worker: TaskHubGrpcWorker;
  let client: TaskHubGrpcClient;
  const greeted: string[] = [];

  const sayHello = async (_context: ActivityContext, name: string): Promise<string> => {
    greeted.push(name);
    return `Hello ${name}!`;
  };
  // Must be an async generator: the SDK completes a plain generator at once with "{}".
  const helloCities = async function* (
    context: OrchestrationContext,
    prefix: string,
  ): AsyncGenerator<unknown, string[], string> {
    const results: string[] = [];
    for (const city of ["Tokyo", "Seattle", "London"]) {
      results.push(yield context.callActivity(sayHello, `${prefix}${city}`));
    }
    return results;
  };

  beforeAll(async () => {
    endpoint = new GrpcEndpoint(new MemoryTaskHub(), { port: await freePort() });
    await endpoint.start();
    const hostAddress = `127.0.0.1:${endpoint.port}`;
    worker = new TaskHubGrpcWorker({ hostAddress, logger: new NoOpLogger() });
    worker.addOrchestrator(helloCities);
    worker.addActivity(sayHello);
    await worker.start();
    client = new TaskHubGrpcClient({ hostAddress, logger: new NoOpLogger() });
  });

  afterAll(async () => {
    await client?.stop();
    await worker?.stop();
    await endpoint?.stop();
  });

  it("runs the orchestration to completion and keeps its history in our engine", async () => {
    const instanceId = await client.scheduleNewOrchestration(helloCities, "to ");
    const state = await client.waitForOrchestrationCompletion(instanceId, true, 20);

    expect(state?.runtimeStatus).toBe(OrchestrationStatus.COMPLETED);
    expect(JSON.parse(state?.serializedOutput ?? "null")).toEqual([
      "Hello to Tokyo!",
      "Hello to Seattle!",
      "Hello to London!",
    ]);
    // Each activity ran once: replayed episodes did not schedule it again.
    expect(greeted).toEqual(["to Tokyo", "to Seattle", "to London"]);

    const row = await endpoint.client.getInstance(instanceId);
    expect(row).toMatchObject({ name: "helloCities", runtimeStatus: "Completed", input: '"to "' });
    const history = await endpoint.client.getHistory(instanceId);
    // Four episodes; the SDK's own numbering (from 1) is the scheduling events' EventIds.
    expect(history.map(summary)).toEqual([
      "OrchestratorStarted",
      "ExecutionStarted",
      "TaskScheduled#1 sayHello",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TaskCompleted->1",
      "TaskScheduled#2 sayHello",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TaskCompleted->2",
      "TaskScheduled#3 sayHello",
      "OrchestratorCompleted",
      "OrchestratorStarted",
      "TaskCompleted->3",
      "ExecutionCompleted",
      "OrchestratorCompleted",
    ]);
  });

  it("answers GetInstance for an unknown id with no instance", async () => {
    expect(await client.getOrchestrationState("no-such-instance")).toBeUndefined();
  });
});

function summary(event: HistoryEvent): string {
  switch (event.EventType) {
    case HistoryEventType.TaskScheduled:
      return `TaskScheduled#${event.EventId} ${event.Name}`;
    case HistoryEventType.TaskCompleted:
      return `TaskCompleted->${event.TaskScheduledId}`;
    default:
      return HistoryEventType[event.EventType];
  }
}
