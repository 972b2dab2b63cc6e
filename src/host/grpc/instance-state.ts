import type { InstanceState } from "../../providers/task-hub";
import { OrchestrationStatusCode } from "../../protocol/history";
import { pb } from "../../protocol/grpc/wire";
import { toStringValue, toTimestamp } from "../../protocol/grpc/wire-values";

/** An instance's status row as the SDKs read it; payloads only when the caller asked. */
export function wireInstanceResponse(
  state: InstanceState | undefined,
  withPayloads: boolean,
): pb.GetInstanceResponse {
  const response = new pb.GetInstanceResponse();
  response.setExists(state !== undefined);
  if (!state) return response;
  const wire = new pb.OrchestrationState();
  wire.setInstanceid(state.instanceId);
  wire.setName(state.name);
  wire.setVersion(toStringValue(state.version));
  wire.setOrchestrationstatus(
    OrchestrationStatusCode[state.runtimeStatus] as number as pb.OrchestrationStatus,
  );
  wire.setExecutionid(toStringValue(state.executionId));
  wire.setCreatedtimestamp(toTimestamp(state.createdTime));
  wire.setLastupdatedtimestamp(toTimestamp(state.lastUpdatedTime));
  if (state.completedTime) wire.setCompletedtimestamp(toTimestamp(state.completedTime));
  if (state.scheduledStartTime) wire.setScheduledstarttimestamp(toTimestamp(state.scheduledStartTime));
  wire.setParentinstanceid(toStringValue(state.parentInstanceId));
  if (withPayloads) {
    wire.setInput(toStringValue(state.input));
    wire.setCustomstatus(toStringValue(state.customStatus));
    if (state.runtimeStatus === "Failed") {
      // The status row keeps the failure's message as output; the SDKs read it from failureDetails.
      const failure = new pb.TaskFailureDetails();
      failure.setErrortype("OrchestrationFailure");
      failure.setErrormessage(state.output ?? "");
      wire.setFailuredetails(failure);
    } else {
      wire.setOutput(toStringValue(state.output));
    }
  }
  response.setOrchestrationstate(wire);
  return response;
}
