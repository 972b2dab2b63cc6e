import type { FunctionOptions, FunctionTrigger, InvocationContext } from "@azure/functions";
import type { DurableOrchestrationContext } from "./context";
import type { RetryOptions } from "../retry-options";
import type { TokenSource } from "../http/managed-identity-token-source";

/** Something an orchestration can yield. Completion is not success: check `isFaulted`. */
export interface Task {
  /** Whether the task has finished, successfully or not. */
  isCompleted: boolean;
  /** Whether the task finished with an error. */
  isFaulted: boolean;
  /** The value of a completed task; `undefined` until then. */
  result?: unknown;
}

/** A durable timer that can be cancelled before it fires. */
export interface TimerTask extends Task {
  isCanceled: boolean;
  /** Takes effect at the next `yield` or `return` of the orchestration. */
  cancel: () => void;
}

/**
 * An orchestrator: a generator that yields durable tasks. What it receives back from a yield is
 * typed `any` on purpose: the official `durable-functions` type does the same, and user code that
 * reads fields of a yielded result must keep compiling when it switches to this package.
 */
export type OrchestrationHandler = (
  context: OrchestrationContext,
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
) => Generator<Task, unknown, any>;

/** The InvocationContext an orchestrator receives, with the durable API attached as `df`. */
export interface OrchestrationContext extends InvocationContext {
  df: DurableOrchestrationContext;
}

export interface OrchestrationOptions extends Partial<FunctionOptions> {
  handler: OrchestrationHandler;
}

export interface OrchestrationTrigger extends FunctionTrigger {
  type: "orchestrationTrigger";
}

/** What `app.orchestration` returns: call it inside another orchestration to start a sub-orchestration. */
export type RegisteredOrchestration = (input?: unknown, instanceId?: string) => RegisteredOrchestrationTask;

export interface RegisteredOrchestrationTask extends Task {
  withRetry: (retryOptions: RetryOptions) => Task;
}

/** The options of `context.df.callHttp`. */
export interface CallHttpOptions {
  method: string;
  url: string;
  /** Objects are sent as their JSON text. */
  body?: string | object;
  headers?: { [key: string]: string };
  tokenSource?: TokenSource;
  /** Keep polling while the endpoint answers 202 with a Location header. Default true; wins over `asynchronousPatternEnabled`. */
  enablePolling?: boolean;
  /** @deprecated use `enablePolling`. */
  asynchronousPatternEnabled?: boolean;
}
