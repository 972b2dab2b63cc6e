/**
 * Work items over GetWorkItems as a raw gRPC client sees them: a stream that drops gives its
 * item back to the next stream at once, and a completion whose token is not out is refused.
 */
import { credentials, status, type ClientReadableStream, type ServiceError } from "@grpc/grpc-js";
import { TaskHubSidecarServiceClient } from "@microsoft/durabletask-js/dist/proto/orchestrator_service_grpc_pb";
import { GrpcEndpoint } from "../../src/host/grpc/grpc-endpoint";
import { pb } from "../../src/protocol/grpc/wire";
import { toStringValue } from "../../src/protocol/grpc/wire-values";
import { MemoryTaskHub } from "../../src/providers/memory/memory-task-hub";
import { freePort } from "../support/free-port";

describe("gRPC endpoint: work-item dispatch", () => {
  let endpoint: GrpcEndpoint;
  let raw: TaskHubSidecarServiceClient;

  beforeAll(async () => {
    endpoint = new GrpcEndpoint(new MemoryTaskHub(), {
      port: await freePort(),
      // The dropped stream is reported; this test expects it.
      worker: { onError: () => undefined },
    });
    await endpoint.start();
    raw = new TaskHubSidecarServiceClient(`127.0.0.1:${endpoint.port}`, credentials.createInsecure());
  });

  afterAll(async () => {
    raw?.close();
    await endpoint?.stop();
  });

  it("gives a dropped stream's item to the next stream at once and refuses the old token", async () => {
    const first = raw.getWorkItems(new pb.GetWorkItemsRequest());
    first.on("error", () => undefined);
    const instanceId = await endpoint.client.startNew("anything");
    const given = await nextWorkItem(first);
    expect(given.getOrchestratorrequest()?.getInstanceid()).toBe(instanceId);

    const second = raw.getWorkItems(new pb.GetWorkItemsRequest());
    second.on("error", () => undefined);
    // Let the second stream register before the first goes.
    await new Promise((resolve) => setTimeout(resolve, 100));
    const droppedAt = Date.now();
    first.cancel();
    const again = await nextWorkItem(second);
    // A counted failure would wait out the engine's back-off (1 s) first.
    expect(Date.now() - droppedAt).toBeLessThan(800);
    expect(again.getOrchestratorrequest()?.getInstanceid()).toBe(instanceId);
    expect(again.getCompletiontoken()).not.toBe(given.getCompletiontoken());

    const stale = await complete(completion(instanceId, given.getCompletiontoken())).catch(
      (e: ServiceError) => e,
    );
    expect(stale).toMatchObject({ code: status.NOT_FOUND });

    await complete(completion(instanceId, again.getCompletiontoken()));
    const state = await endpoint.client.waitForCompletion(instanceId, 5000);
    expect(state).toMatchObject({ runtimeStatus: "Completed", output: '"done"' });
    second.cancel();
  });

  function complete(response: pb.OrchestratorResponse): Promise<void> {
    return new Promise((resolve, reject) =>
      raw.completeOrchestratorTask(response, (error) => (error ? reject(error) : resolve())),
    );
  }
});

function completion(instanceId: string, token: string): pb.OrchestratorResponse {
  const done = new pb.CompleteOrchestrationAction();
  done.setOrchestrationstatus(pb.OrchestrationStatus.ORCHESTRATION_STATUS_COMPLETED);
  done.setResult(toStringValue('"done"'));
  const action = new pb.OrchestratorAction();
  action.setId(1);
  action.setCompleteorchestration(done);
  const response = new pb.OrchestratorResponse();
  response.setInstanceid(instanceId);
  response.setActionsList([action]);
  response.setCompletiontoken(token);
  return response;
}

function nextWorkItem(stream: ClientReadableStream<pb.WorkItem>): Promise<pb.WorkItem> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("no work item within 5 s")), 5000);
    stream.once("data", (item: pb.WorkItem) => {
      clearTimeout(timer);
      resolve(item);
    });
  });
}
