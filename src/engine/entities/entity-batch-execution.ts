import type { EntityIdPayload } from "../../protocol/actions";
import type {
  EntityBatchRequest,
  EntityBatchResult,
  EntityOperationResult,
  EntityRequestMessage,
  EntitySignalPayload,
} from "../../protocol/entities";

export interface EntitySnapshot {
  exists: boolean;
  /** JSON text, or null. */
  state: string | null;
}

export interface ExecutedBatch {
  /** One per operation, in order. */
  results: EntityOperationResult[];
  /** Signals of the operations that succeeded, in order. */
  signals: EntitySignalPayload[];
  after: EntitySnapshot;
  /** Set when the invocation itself failed: every operation failed with it, the state is untouched. */
  crashed?: boolean;
}

export type InvokeEntityBatch = (request: EntityBatchRequest) => Promise<EntityBatchResult>;

/**
 * Runs `operations` as one entity batch, with the guarantee the official worker does not give:
 * an operation that throws leaves the state as it found it and its signals unsent. The worker
 * reports only the state after the whole batch, so when operation i failed, the operations
 * before it run again on their own to learn the state i saw, and the rest continue from there.
 * A batch without failures costs one invocation; each failure at most two more.
 */
export async function executeEntityBatch(
  invoke: InvokeEntityBatch,
  self: EntityIdPayload,
  before: EntitySnapshot,
  operations: readonly EntityRequestMessage[],
): Promise<ExecutedBatch> {
  if (operations.length === 0) return { results: [], signals: [], after: before };
  const outcome = await invokeChecked(invoke, self, before, operations);
  const failed = outcome.results.findIndex((r) => r.isError);
  // Running the operations again would fail them again.
  if (failed < 0 || outcome.crashed) return outcome;

  const upToFailure =
    failed === 0
      ? { results: [], signals: [], after: before }
      : await executeEntityBatch(invoke, self, before, operations.slice(0, failed));
  const rest = await executeEntityBatch(invoke, self, upToFailure.after, operations.slice(failed + 1));
  return {
    results: [...upToFailure.results, outcome.results[failed] as EntityOperationResult, ...rest.results],
    signals: [...upToFailure.signals, ...rest.signals],
    after: rest.after,
  };
}

/** One invocation; a worker that throws or answers out of protocol fails every operation. */
async function invokeChecked(
  invoke: InvokeEntityBatch,
  self: EntityIdPayload,
  before: EntitySnapshot,
  operations: readonly EntityRequestMessage[],
): Promise<ExecutedBatch> {
  const startTime = Date.now();
  let result: EntityBatchResult;
  try {
    result = await invoke({
      self,
      exists: before.exists,
      state: before.state,
      batch: operations.map((operation) => ({
        name: operation.op ?? "",
        input: operation.input ?? null,
        isSignal: operation.signal === true,
        id: operation.id,
      })),
    });
  } catch (error) {
    return failedBatch(
      before,
      operations.length,
      startTime,
      error instanceof Error ? error.message : String(error),
    );
  }
  if (!Array.isArray(result.results) || result.results.length !== operations.length) {
    return failedBatch(
      before,
      operations.length,
      startTime,
      `The entity function returned ${Array.isArray(result.results) ? result.results.length : "no"} results for ${operations.length} operations.`,
    );
  }
  const exists = result.entityExists === true;
  return {
    results: result.results,
    signals: Array.isArray(result.signals) ? result.signals : [],
    after: { exists, state: exists ? (result.entityState ?? null) : null },
  };
}

/** Every operation failed with `message`; the state stays as it was. */
export function failedBatch(
  before: EntitySnapshot,
  count: number,
  startTime: number,
  message: string,
): ExecutedBatch {
  const failure: EntityOperationResult = {
    isError: true,
    duration: Date.now() - startTime,
    startTime,
    result: JSON.stringify(message),
  };
  return {
    results: Array.from({ length: count }, () => ({ ...failure })),
    signals: [],
    after: before,
    crashed: true,
  };
}
