import { OUT_OF_PROC_DATA_LABEL, type OrchestratorStatePayload } from "../../protocol";

/**
 * How an orchestrator reports failure to the host: it throws, and the message carries the state
 * (actions scheduled so far and the error text) after the `$OutOfProcData$:` label.
 *
 * The text before the label is literally `false`: durable-functions 3.5.0 puts the string form of
 * its "orchestrator returned" flag there, which is always false when it fails, and hosts only read
 * what follows the label. We write the same text so both SDKs fail identically.
 */
export class OrchestrationFailureError extends Error {
  /** The state embedded in the message, for in-process hosts that would rather not parse it back. */
  readonly state: OrchestratorStatePayload;

  constructor(state: OrchestratorStatePayload) {
    super(`${JSON.stringify(false)}${OUT_OF_PROC_DATA_LABEL}${JSON.stringify(state)}`);
    this.name = "OrchestrationFailureError";
    this.state = state;
    // The official error has no stack; the host's failure text then holds only the message.
    this.stack = undefined;
  }
}
