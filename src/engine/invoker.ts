import type { EntityBatchRequest, EntityBatchResult } from "../protocol/entities";
import type { OrchestrationTriggerPayload, OrchestratorStatePayload } from "../protocol/orchestrator-state";

export type FunctionKind = "orchestration" | "activity" | "entity";

/**
 * How the engine runs user functions. The host implements it with the real @azure/functions
 * invocation path; tests use the SDK registry. Failures are thrown: an orchestrator failure's
 * message carries the `$OutOfProcData$` state as the out-of-proc protocol specifies.
 */
export interface FunctionInvoker {
  hasFunction(kind: FunctionKind, name: string): boolean;
  invokeOrchestrator(name: string, payload: OrchestrationTriggerPayload): Promise<OrchestratorStatePayload>;
  /** `input` is already decoded as the Node worker would hand it to the activity. */
  invokeActivity(name: string, input: unknown, context: { instanceId: string }): Promise<unknown>;
  invokeEntity(name: string, request: EntityBatchRequest): Promise<EntityBatchResult>;
}
