import type { FunctionsCoreState } from "./core-state";
import type { HookData, RpcLogCategory, RpcLogLevel } from "./core-types";
import { withReadOnly } from "./hook-context";

/** The invocation a log was written in, for log hooks and for the logger's function name. */
export interface InvocationLogScope {
  functionName: string;
  hookData: HookData;
  invocationContext: unknown;
}

/**
 * Hands one log to the app's log hooks, then to the host's logger. Hooks may rewrite the level
 * and message of user logs only, and cannot stop a log: the worker swallows their errors so that
 * system logs always get out.
 */
export function dispatchLog(
  state: FunctionsCoreState,
  level: RpcLogLevel,
  category: RpcLogCategory,
  message: string,
  scope?: InvocationLogScope,
): void {
  let finalLevel = level;
  let finalMessage = message;
  if (state.hooks.log.length > 0) {
    const context = withReadOnly(
      { level, message },
      {
        category,
        hookData: scope?.hookData ?? {},
        appHookData: state.appHookData,
        invocationContext: scope?.invocationContext,
      },
    );
    try {
      for (const callback of [...state.hooks.log]) {
        callback(context);
      }
      if (category === "user") {
        finalLevel = context.level;
        finalMessage = context.message;
      }
    } catch {
      // A failing log hook must not cost the host the log itself.
    }
  }
  state.logger?.(finalLevel, scope?.functionName, finalMessage, category);
}
