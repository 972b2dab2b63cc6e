import { status, type sendUnaryData, type ServerUnaryCall } from "@grpc/grpc-js";
import { Empty, pb } from "../../protocol/grpc/wire";
import { serviceError } from "./rpc-errors";
import type { WorkItemDispatcher, WorkItemStream } from "./work-item-dispatcher";

/** The rpcs a Durable Task SDK worker calls: hello, the work-item stream and its answers. */
export function workerRpcs(dispatcher: WorkItemDispatcher) {
  return {
    hello(_call: ServerUnaryCall<Empty, Empty>, callback: sendUnaryData<Empty>): void {
      callback(null, new Empty());
    },

    getWorkItems(stream: WorkItemStream): void {
      dispatcher.attach(stream);
    },

    completeOrchestratorTask(
      call: ServerUnaryCall<pb.OrchestratorResponse, pb.CompleteTaskResponse>,
      callback: sendUnaryData<pb.CompleteTaskResponse>,
    ): void {
      if (!dispatcher.completeOrchestrator(call.request)) {
        callback(staleToken(call.request.getInstanceid()));
        return;
      }
      callback(null, new pb.CompleteTaskResponse());
    },

    completeActivityTask(
      call: ServerUnaryCall<pb.ActivityResponse, pb.CompleteTaskResponse>,
      callback: sendUnaryData<pb.CompleteTaskResponse>,
    ): void {
      if (!dispatcher.completeActivity(call.request)) {
        callback(staleToken(call.request.getInstanceid()));
        return;
      }
      callback(null, new pb.CompleteTaskResponse());
    },
  };
}

function staleToken(instanceId: string) {
  return serviceError(
    status.NOT_FOUND,
    `No work item for instance '${instanceId}' with this completionToken is out: it was completed ` +
      `already, or given back when its stream dropped.`,
  );
}
