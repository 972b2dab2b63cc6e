/** Runs orchestrators through our handler for the specs in this folder. */
import { InvocationContext } from "@azure/functions";
import type { OrchestratorStatePayload } from "../../../../src/protocol";
import { OrchestrationFailureError } from "../../../../src/sdk/errors/orchestration-failure-error";
import { createOrchestrationHandler } from "../../../../src/sdk/orchestration/handler";
import type { OrchestrationContext } from "../../../../src/sdk/orchestration/types";
import {
  HistoryBuilder,
  triggerFor,
  type TriggerOptions,
} from "../../../differential/support/history-builder";
import { simulate, type Episode, type SimulationOptions } from "../../../differential/support/fake-host";

export { HistoryBuilder, triggerFor };

export type Orchestrator = (context: OrchestrationContext) => Generator<unknown, unknown, unknown>;

function handlerOf(orchestrator: Orchestrator) {
  return createOrchestrationHandler(orchestrator as Parameters<typeof createOrchestrationHandler>[0]);
}

/** Replays `history` and returns the state; fails the test if the orchestration fails. */
export async function replay(
  orchestrator: Orchestrator,
  history: HistoryBuilder,
  options: TriggerOptions = {},
): Promise<OrchestratorStatePayload> {
  return handlerOf(orchestrator)(triggerFor(history.build(), options), newContext());
}

/** Replays `history` and returns the state the orchestration failed with. */
export async function replayFailure(
  orchestrator: Orchestrator,
  history: HistoryBuilder,
  options: TriggerOptions = {},
): Promise<{ error: OrchestrationFailureError; state: OrchestratorStatePayload }> {
  try {
    const state = await handlerOf(orchestrator)(triggerFor(history.build(), options), newContext());
    throw new Error(`expected a failure, got ${JSON.stringify(state)}`);
  } catch (error) {
    if (!(error instanceof OrchestrationFailureError)) {
      throw error;
    }
    return { error, state: error.state };
  }
}

/** Runs the raw trigger through the handler. */
export function invoke(
  orchestrator: Orchestrator,
  trigger: unknown,
  context = newContext(),
): Promise<OrchestratorStatePayload> {
  return handlerOf(orchestrator)(trigger, context);
}

/** Runs the orchestrator to its end through the scripted fake host, with our handler as the worker. */
export function runToEnd(orchestrator: Orchestrator, options: SimulationOptions = {}): Promise<Episode[]> {
  return simulate(handlerOf(orchestrator) as never, options);
}

/** The state of the last episode (returned or embedded in the failure). */
export function lastState(episodes: Episode[]): OrchestratorStatePayload {
  const outcome = episodes.at(-1)?.outcome;
  if (outcome === undefined || outcome.kind === "error") {
    throw new Error(`no state: ${JSON.stringify(outcome)}`);
  }
  return outcome.state;
}

export function newContext(): InvocationContext {
  return new InvocationContext({ functionName: "Orchestrator", invocationId: "spec" });
}

/** A history with the first episode started: OrchestratorStarted, ExecutionStarted. */
export function started(input?: unknown): HistoryBuilder {
  return new HistoryBuilder().episode(0).executionStarted({ input });
}
