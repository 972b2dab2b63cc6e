import type { sendUnaryData, ServerUnaryCall } from "@grpc/grpc-js";
import type { TaskHubClient } from "../../engine/client";
import { isTerminalStatus } from "../../engine/errors";
import { pb } from "../../protocol/grpc/wire";
import { fromStringValue } from "../../protocol/grpc/wire-values";
import { wireInstanceResponse } from "./instance-state";
import { rpcError } from "./rpc-errors";

/** How long one wait on the engine lasts before checking whether the caller is still there. */
const WAIT_SLICE_MS = 30_000;

/** The management rpcs of TaskHubSidecarService, over our TaskHubClient. */
export function clientRpcs(client: TaskHubClient) {
  return {
    startInstance(
      call: ServerUnaryCall<pb.CreateInstanceRequest, pb.CreateInstanceResponse>,
      callback: sendUnaryData<pb.CreateInstanceResponse>,
    ): void {
      const request = call.request;
      // The SDKs always send a start time; epoch 0 means "now".
      const startAt = request.getScheduledstarttimestamp()?.toDate();
      client
        .startNew(request.getName(), {
          instanceId: request.getInstanceid() || undefined,
          input: fromStringValue(request.getInput()),
          version: fromStringValue(request.getVersion()),
          ...(startAt && startAt.getTime() > 0 ? { startAt } : {}),
        })
        .then((instanceId) => {
          const response = new pb.CreateInstanceResponse();
          response.setInstanceid(instanceId);
          callback(null, response);
        })
        .catch((error: unknown) => callback(rpcError(error)));
    },

    getInstance(
      call: ServerUnaryCall<pb.GetInstanceRequest, pb.GetInstanceResponse>,
      callback: sendUnaryData<pb.GetInstanceResponse>,
    ): void {
      client
        .getInstance(call.request.getInstanceid())
        .then((state) => callback(null, wireInstanceResponse(state, call.request.getGetinputsandoutputs())))
        .catch((error: unknown) => callback(rpcError(error)));
    },

    waitForInstanceCompletion(
      call: ServerUnaryCall<pb.GetInstanceRequest, pb.GetInstanceResponse>,
      callback: sendUnaryData<pb.GetInstanceResponse>,
    ): void {
      const instanceId = call.request.getInstanceid();
      const wait = async () => {
        // The caller sets the deadline; stop when it goes away.
        for (;;) {
          const state = await client.waitForCompletion(instanceId, WAIT_SLICE_MS);
          if (call.cancelled) return;
          if (!state || isTerminalStatus(state.runtimeStatus)) {
            callback(null, wireInstanceResponse(state, call.request.getGetinputsandoutputs()));
            return;
          }
        }
      };
      wait().catch((error: unknown) => callback(rpcError(error)));
    },
  };
}
