import { SchemaVersion, type WorkerFailureDetailsPayload } from "../../protocol";
import { isCompoundAction, type ActionDraft } from "./actions";

/** OrchestratorState before serialisation: actions are still live objects (timers hold Dates). */
export interface OrchestratorStateDraft {
  isDone: boolean;
  actions: ActionDraft[][];
  output?: unknown;
  schemaVersion: SchemaVersion;
  error?: unknown;
  customStatus?: unknown;
  failureDetails?: WorkerFailureDetailsPayload;
}

export interface OrchestratorStateParts {
  isDone: boolean;
  /** Every action since the execution began, in scheduling order. */
  actions: ActionDraft[];
  output: unknown;
  error: unknown;
  customStatus: unknown;
  schemaVersion: SchemaVersion;
  failureDetails: WorkerFailureDetailsPayload | undefined;
}

/**
 * Assembles the state as the official worker does, field order included: optional fields are
 * present only when truthy (so a custom status of 0, "" or false is dropped), and under schema V1
 * each action becomes its own set, with compound actions flattened into their leaves.
 */
export function buildOrchestratorState(parts: OrchestratorStateParts): OrchestratorStateDraft {
  const state: OrchestratorStateDraft = {
    isDone: parts.isDone,
    actions: parts.schemaVersion === SchemaVersion.V1 ? parts.actions.map(flatten) : [parts.actions],
    output: parts.output,
    schemaVersion: parts.schemaVersion,
  };
  if (parts.error) {
    state.error = parts.error;
  }
  if (parts.customStatus) {
    state.customStatus = parts.customStatus;
  }
  if (parts.failureDetails) {
    state.failureDetails = parts.failureDetails;
  }
  return state;
}

function flatten(action: ActionDraft): ActionDraft[] {
  return isCompoundAction(action) ? action.compoundActions.flatMap(flatten) : [action];
}
