import type {
  FunctionHandler,
  FunctionInput,
  FunctionOptions,
  FunctionOutput,
  FunctionTrigger,
} from "@azure/functions";
import type { RetryOptions } from "../retry-options";
import type { Task } from "../orchestration";

/** An activity is an ordinary Functions handler: `(input, context) => result`. */
export type ActivityHandler = FunctionHandler;

export interface ActivityOptions extends Partial<FunctionOptions> {
  handler: ActivityHandler;
  extraInputs?: FunctionInput[];
  extraOutputs?: FunctionOutput[];
}

export interface ActivityTrigger extends FunctionTrigger {
  type: "activityTrigger";
}

/** What `app.activity` returns: call it inside an orchestration to schedule the activity. */
export type RegisteredActivity = (input?: unknown) => RegisteredActivityTask;

export interface RegisteredActivityTask extends Task {
  withRetry: (retryOptions: RetryOptions) => Task;
}
