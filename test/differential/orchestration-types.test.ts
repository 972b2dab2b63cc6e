/**
 * Compile-time check that the orchestration side of our public surface can stand in for
 * durable-functions 3.5.0's: each assignment below fails to type-check if a class or type drifts.
 */
import type * as Official from "durable-functions";
import { DurableLock } from "../../src/sdk/durable-lock";
import { EntityId } from "../../src/sdk/entity-id";
import {
  AggregatedError,
  DurableError,
  LockingRulesViolationError,
  TaskFailedError,
  type FailureDetails,
} from "../../src/sdk/errors";
import { ManagedIdentityTokenSource, type TokenSource } from "../../src/sdk/http";
import {
  DummyOrchestrationContext,
  DurableOrchestrationContext,
  LockState,
  registeredActivity,
  registeredOrchestration,
  type CallHttpOptions,
  type OrchestrationContext,
  type OrchestrationHandler,
  type OrchestrationOptions,
  type OrchestrationTrigger,
  type RegisteredOrchestration,
  type Task,
  type TimerTask,
} from "../../src/sdk/orchestration";
import { RetryOptions } from "../../src/sdk/retry-options";

const classes = {
  DurableOrchestrationContext: DurableOrchestrationContext as typeof Official.DurableOrchestrationContext,
  DummyOrchestrationContext: DummyOrchestrationContext as typeof Official.DummyOrchestrationContext,
  DurableLock: DurableLock as typeof Official.DurableLock,
  LockState: LockState as typeof Official.LockState,
  TaskFailedError: TaskFailedError as typeof Official.TaskFailedError,
  AggregatedError: AggregatedError as typeof Official.AggregatedError,
  DurableError: DurableError as typeof Official.DurableError,
  LockingRulesViolationError: LockingRulesViolationError as typeof Official.LockingRulesViolationError,
  ManagedIdentityTokenSource: ManagedIdentityTokenSource as typeof Official.ManagedIdentityTokenSource,
};

// Both directions for the plain types: user code may pass values either way.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<Task, Official.Task>,
  Same<TimerTask, Official.TimerTask>,
  Same<CallHttpOptions, Official.CallHttpOptions>,
  Same<FailureDetails, Official.FailureDetails>,
  Same<TokenSource, Official.TokenSource>,
] = [true, true, true, true, true];

// Handlers and options written against the official types are accepted by ours, and code written
// against ours can read what the official types declare.
const officialHandler: Official.OrchestrationHandler = function* (context) {
  const value = yield context.df.callActivity("A");
  return value.field;
};
const ours: OrchestrationHandler = officialHandler;
const options: OrchestrationOptions = { handler: officialHandler };
const oursHandler: OrchestrationHandler = function* (context) {
  const official: Official.DurableOrchestrationContext = context.df;
  const value = yield official.callActivity("A");
  return value.field;
};
const trigger: Official.OrchestrationTrigger = {
  type: "orchestrationTrigger",
  name: "t",
} as OrchestrationTrigger;
const context: Official.OrchestrationContext = {} as OrchestrationContext;
const registered: Official.RegisteredOrchestration = registeredOrchestration("O") as RegisteredOrchestration;
const activity: Official.RegisteredActivity = registeredActivity("A");
const entity: Official.EntityId = new EntityId("e", "k");
const retry: Official.RetryOptions = new RetryOptions(1, 1);

describe("the orchestration types", () => {
  it("line up with durable-functions 3.5.0 (checked by the compiler)", () => {
    expect(Object.keys(classes)).toHaveLength(9);
    expect(sameTypes.every(Boolean)).toBe(true);
    expect([ours, options, oursHandler, trigger, context, registered, activity, entity, retry]).toHaveLength(
      9,
    );
  });
});
