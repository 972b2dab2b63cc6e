import type { GenericFunctionOptions } from "@azure/functions";
import { wrapActivityHandler } from "./activity/activity-handler";
import type { ActivityOptions, RegisteredActivity } from "./activity/activity-types";
import { createEntityHandler } from "./entity/entity-dispatcher";
import type { EntityHandler, EntityOptions } from "./entity/entity-types";
import {
  createOrchestrationHandler,
  type OrchestrationHandler,
  type OrchestrationOptions,
  registeredActivity,
  registeredOrchestration,
  type RegisteredOrchestration,
} from "./orchestration";
import { registerFunction } from "./registry";
import * as trigger from "./trigger";

export { setExceptionPropertiesProvider } from "./exception-properties-provider";
export * as client from "./app-client";

// The app may override the trigger in its options, as with durable-functions; the handler is
// always the SDK's wrapper that speaks the wire protocol.

/**
 * Registers an orchestrator. The returned function schedules it as a sub-orchestration when
 * called inside another orchestration.
 */
export function orchestration(functionName: string, handler: OrchestrationHandler): RegisteredOrchestration;
export function orchestration(functionName: string, options: OrchestrationOptions): RegisteredOrchestration;
export function orchestration(
  functionName: string,
  handlerOrOptions: OrchestrationHandler | OrchestrationOptions,
): RegisteredOrchestration {
  const options = typeof handlerOrOptions === "function" ? { handler: handlerOrOptions } : handlerOrOptions;
  const handler = createOrchestrationHandler(options.handler);
  const genericOptions: GenericFunctionOptions = { trigger: trigger.orchestration(), ...options, handler };
  registerFunction({
    kind: "orchestration",
    name: functionName,
    handler,
    userHandler: options.handler,
    options: genericOptions,
  });
  return registeredOrchestration(functionName);
}

/** Registers an entity: the handler runs once per operation of each batch. */
export function entity<T = unknown>(functionName: string, handler: EntityHandler<T>): void;
export function entity<T = unknown>(functionName: string, options: EntityOptions<T>): void;
export function entity<T = unknown>(
  functionName: string,
  handlerOrOptions: EntityHandler<T> | EntityOptions<T>,
): void {
  const options = typeof handlerOrOptions === "function" ? { handler: handlerOrOptions } : handlerOrOptions;
  const handler = createEntityHandler(options.handler);
  const genericOptions: GenericFunctionOptions = { trigger: trigger.entity(), ...options, handler };
  const userHandler = options.handler as EntityHandler<unknown>;
  registerFunction({ kind: "entity", name: functionName, handler, userHandler, options: genericOptions });
}

/**
 * Registers an activity. The returned function schedules it when called inside an
 * orchestration, like `context.df.callActivity(functionName, input)`.
 */
export function activity(functionName: string, options: ActivityOptions): RegisteredActivity {
  const handler = wrapActivityHandler(options.handler);
  const genericOptions: GenericFunctionOptions = { trigger: trigger.activity(), ...options, handler };
  registerFunction({
    kind: "activity",
    name: functionName,
    handler,
    userHandler: options.handler,
    options: genericOptions,
  });
  return registeredActivity(functionName);
}
