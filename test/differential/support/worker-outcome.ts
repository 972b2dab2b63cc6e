/**
 * Runs an orchestration handler (ours or the official one) on one trigger and reduces what it did
 * to comparable text: the returned state's JSON, or the failure message.
 */
import { InvocationContext } from "@azure/functions";
import {
  OUT_OF_PROC_DATA_LABEL,
  type OrchestrationTriggerPayload,
  type OrchestratorStatePayload,
} from "../../../src/protocol";

export type WireOrchestrationHandler = (trigger: unknown, context: InvocationContext) => Promise<unknown>;

export type WorkerOutcome =
  /** The handler returned a state; `json` is its wire form. */
  | { kind: "state"; json: string; state: OrchestratorStatePayload }
  /** The handler threw an orchestration failure; `message` holds the state after the label. */
  | { kind: "failure"; message: string; state: OrchestratorStatePayload }
  /** The handler threw something else. */
  | { kind: "error"; message: string };

export async function invokeHandler(
  handler: WireOrchestrationHandler,
  trigger: OrchestrationTriggerPayload,
): Promise<WorkerOutcome> {
  const context = new InvocationContext({ functionName: "Orchestrator", invocationId: "test-invocation" });
  try {
    // A fresh copy, as the worker gets from the wire: handlers may change what they are given.
    const state = await handler(JSON.parse(JSON.stringify(trigger)), context);
    const json = JSON.stringify(state);
    return { kind: "state", json, state: JSON.parse(json) as OrchestratorStatePayload };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = message.indexOf(OUT_OF_PROC_DATA_LABEL);
    if (at < 0) {
      return { kind: "error", message };
    }
    const state = JSON.parse(message.slice(at + OUT_OF_PROC_DATA_LABEL.length)) as OrchestratorStatePayload;
    return { kind: "failure", message, state };
  }
}

/** The state an outcome carries, returned or embedded in the failure. */
export function stateOf(outcome: WorkerOutcome): OrchestratorStatePayload | undefined {
  return outcome.kind === "error" ? undefined : outcome.state;
}
