import type { InvocationContext } from "@azure/functions";
import { buildTaskFailureDetailsJson } from "../exception-properties-provider";
import type { ActivityHandler } from "./activity-types";

/** The handler registered for an activity: the user's handler, plus structured failure details. */
export type WrappedActivityHandler = (input: unknown, context: InvocationContext) => Promise<unknown>;

/**
 * Runs the activity and, when an ExceptionPropertiesProvider has properties for a thrown error,
 * rewrites the error message into the JSON failure payload the host parses (protocol §4). The
 * error object itself is kept where possible so its type and stack survive.
 */
export function wrapActivityHandler(handler: ActivityHandler): WrappedActivityHandler {
  return async (input, context) => {
    try {
      return (await handler(input, context)) as unknown;
    } catch (error) {
      const failureJson = buildTaskFailureDetailsJson(error);
      if (!failureJson) {
        throw error;
      }
      throw withMessage(error, failureJson);
    }
  };
}

function withMessage(error: unknown, message: string): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  try {
    original.message = message;
    return original;
  } catch {
    // A frozen error cannot be rewritten; carry its stack on a fresh one instead.
    const replacement = new Error(message);
    replacement.stack = original.stack;
    return replacement;
  }
}
