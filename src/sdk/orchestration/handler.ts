import type { InvocationContext } from "@azure/functions";
import type { OrchestratorStatePayload } from "../../protocol";
import { OrchestrationFailureError } from "../errors/orchestration-failure-error";
import { DurableOrchestrationContext } from "./context";
import { OrchestrationReplay } from "./executor";
import { readOrchestrationTrigger } from "./trigger";
import type { OrchestrationContext, OrchestrationHandler } from "./types";

/**
 * Turns an orchestrator into the function the host invokes with the orchestrationTrigger payload.
 * It attaches `df` to the InvocationContext, replays the history through the orchestrator and
 * resolves the OrchestratorState as plain JSON data. When the orchestration fails it throws an
 * OrchestrationFailureError whose message carries the state after `$OutOfProcData$:`.
 */
export function createOrchestrationHandler(
  handler: OrchestrationHandler,
): (trigger: unknown, context: InvocationContext) => Promise<OrchestratorStatePayload> {
  return async (trigger, context) => {
    const input = readOrchestrationTrigger(trigger);
    const replay = new OrchestrationReplay(input.instanceId, input.schemaVersion);
    const invocation = context as OrchestrationContext;
    // Always a fresh context: one left from an earlier invocation would carry its clock and status.
    invocation.df = new DurableOrchestrationContext({
      instanceId: input.instanceId,
      parentInstanceId: input.parentInstanceId,
      version: input.version,
      input: input.input,
      isReplaying: input.isReplaying,
      currentUtcDateTime: input.startTime,
      schemaVersion: input.schemaVersion,
      maximumShortTimerDuration: input.maximumShortTimerDuration,
      longRunningTimerIntervalDuration: input.longRunningTimerIntervalDuration,
      defaultHttpAsyncRequestSleepTimeMillseconds: input.defaultHttpAsyncRequestSleepTimeMillseconds,
      recorder: replay,
    });
    const result = replay.run(invocation, input.history, handler);
    // Through JSON, as on the wire: Dates become ISO text and undefined fields disappear.
    const state = JSON.parse(JSON.stringify(result.state)) as OrchestratorStatePayload;
    if (result.failed) {
      throw new OrchestrationFailureError(state);
    }
    return state;
  };
}
