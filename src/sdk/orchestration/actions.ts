import {
  ActionType,
  type CallActivityAction,
  type CallActivityWithRetryAction,
  type CallEntityAction,
  type CallSubOrchestratorAction,
  type CallSubOrchestratorWithRetryAction,
  type ContinueAsNewAction,
  type LockEntitiesAction,
  type ReleaseEntitiesAction,
  type ScheduledSignalEntityAction,
  type SignalEntityAction,
  type WaitForExternalEventAction,
} from "../../protocol";
import { types } from "node:util";
import { EntityId } from "../entity-id";
import type { DurableHttpRequest } from "../http/durable-http-request";
import type { RetryOptions } from "../retry-options";

/*
 * Actions are built while the orchestrator runs and serialised once at the end, so they stay live
 * objects until then: a timer can still be cancelled after it was yielded, and a compound action
 * shares its children's objects. Every factory assigns fields in the official worker's order so
 * the JSON text of the state is identical to durable-functions 3.5.0's.
 */

export interface TimerActionDraft {
  fireAt: Date;
  isCanceled: boolean;
  actionType: ActionType.CreateTimer;
}

export interface CallHttpActionDraft {
  httpRequest: DurableHttpRequest;
  actionType: ActionType.CallHttp;
}

export interface CompoundActionDraft {
  actionType: ActionType.WhenAll | ActionType.WhenAny;
  compoundActions: ActionDraft[];
}

export type ActionDraft =
  | CallActivityAction
  | CallActivityWithRetryAction
  | CallSubOrchestratorAction
  | CallSubOrchestratorWithRetryAction
  | ContinueAsNewAction
  | TimerActionDraft
  | WaitForExternalEventAction
  | CallEntityAction
  | CallHttpActionDraft
  | SignalEntityAction
  | ScheduledSignalEntityAction
  | CompoundActionDraft
  | LockEntitiesAction
  | ReleaseEntitiesAction;

/** The name the host runs durable HTTP requests under. */
export const HTTP_ACTIVITY_NAME = "BuiltIn::HttpActivity";

/**
 * Activity and continue-as-new inputs that are strings are JSON-encoded once more, as the official
 * worker does; hosts and activities rely on that extra layer.
 */
function encodeStringInput(input: unknown): unknown {
  return typeof input === "string" ? JSON.stringify(input) : input;
}

export function callActivityAction(functionName: string, input: unknown): CallActivityAction {
  const action: CallActivityAction = {
    functionName,
    actionType: ActionType.CallActivity,
    input: encodeStringInput(input),
  };
  requireText(functionName, "functionName");
  return action;
}

export function callActivityWithRetryAction(
  functionName: string,
  retryOptions: RetryOptions,
  input: unknown,
): CallActivityWithRetryAction {
  const action: CallActivityWithRetryAction = {
    functionName,
    retryOptions,
    actionType: ActionType.CallActivityWithRetry,
    input: encodeStringInput(input),
  };
  requireText(functionName, "functionName");
  requireRetryOptions(retryOptions);
  return action;
}

export function callSubOrchestratorAction(
  functionName: string,
  instanceId: string | undefined,
  input: unknown,
  version?: string,
): CallSubOrchestratorAction {
  const action: CallSubOrchestratorAction = {
    functionName,
    instanceId,
    version,
    actionType: ActionType.CallSubOrchestrator,
    input,
  };
  requireText(functionName, "functionName");
  if (instanceId) {
    requireText(instanceId, "instanceId");
  }
  return action;
}

export function callSubOrchestratorWithRetryAction(
  functionName: string,
  retryOptions: RetryOptions,
  input: unknown,
  instanceId: string | undefined,
  version?: string,
): CallSubOrchestratorWithRetryAction {
  const action: CallSubOrchestratorWithRetryAction = {
    functionName,
    retryOptions,
    instanceId,
    version,
    actionType: ActionType.CallSubOrchestratorWithRetry,
    input,
  };
  requireText(functionName, "functionName");
  requireRetryOptions(retryOptions);
  if (instanceId) {
    requireText(instanceId, "instanceId");
  }
  return action;
}

export function continueAsNewAction(input: unknown): ContinueAsNewAction {
  return { actionType: ActionType.ContinueAsNew, input: encodeStringInput(input) };
}

export function timerAction(fireAt: Date): TimerActionDraft {
  const action: TimerActionDraft = { fireAt, isCanceled: false, actionType: ActionType.CreateTimer };
  if (!types.isDate(fireAt)) {
    throw new TypeError(`fireAt: Expected valid Date object but got ${String(fireAt)}`);
  }
  return action;
}

export function waitForExternalEventAction(externalEventName: string): WaitForExternalEventAction {
  const action: WaitForExternalEventAction = {
    externalEventName,
    reason: "ExternalEvent",
    actionType: ActionType.WaitForExternalEvent,
  };
  requireText(externalEventName, "externalEventName");
  return action;
}

export function callEntityAction(entityId: EntityId, operation: string, input: unknown): CallEntityAction {
  if (!entityId) {
    throw new Error("Must provide EntityId to CallEntityAction constructor");
  }
  requireText(operation, "operation");
  return { operation, actionType: ActionType.CallEntity, input, instanceId: EntityId.toInstanceId(entityId) };
}

export function signalEntityAction(
  entityId: EntityId,
  operation: string,
  input: unknown,
  scheduledTimeUtc?: Date,
): SignalEntityAction | ScheduledSignalEntityAction {
  if (!entityId) {
    throw new Error("Must provide EntityId to SignalEntityAction constructor");
  }
  requireText(operation, "operation");
  const instanceId = EntityId.toInstanceId(entityId);
  if (scheduledTimeUtc !== undefined) {
    if (!(scheduledTimeUtc instanceof Date) || Number.isNaN(scheduledTimeUtc.getTime())) {
      throw new TypeError("scheduledTimeUtc: Expected a valid Date.");
    }
    return {
      operation,
      actionType: ActionType.ScheduledSignalEntity,
      input,
      instanceId,
      fireAt: scheduledTimeUtc.toISOString(),
    };
  }
  return { operation, actionType: ActionType.SignalEntity, input, instanceId };
}

export function callHttpAction(httpRequest: DurableHttpRequest): CallHttpActionDraft {
  return { httpRequest, actionType: ActionType.CallHttp };
}

export function compoundAction(
  actionType: ActionType.WhenAll | ActionType.WhenAny,
  children: ActionDraft[],
): CompoundActionDraft {
  return { actionType, compoundActions: children };
}

export function lockEntitiesAction(lockSet: readonly EntityId[], lockRequestId: string): LockEntitiesAction {
  return {
    actionType: ActionType.LockEntities,
    lockRequestId,
    lockSet: lockSet.map((entity) => ({ name: entity.name, key: entity.key })),
  };
}

export function releaseEntitiesAction(): ReleaseEntitiesAction {
  return { actionType: ActionType.ReleaseEntities };
}

export function isCompoundAction(action: ActionDraft): action is CompoundActionDraft {
  return action.actionType === ActionType.WhenAll || action.actionType === ActionType.WhenAny;
}

/** The activity or orchestrator name of an action, for naming a failed task. */
export function functionNameOf(action: ActionDraft | undefined): string | undefined {
  return action && "functionName" in action && typeof action.functionName === "string"
    ? action.functionName
    : undefined;
}

/** Rejects what is not a non-blank string, with the official worker's messages. */
export function requireText(value: unknown, name: string): void {
  if (typeof value !== "string") {
    throw new TypeError(`${name}: Expected non-empty, non-whitespace string but got ${typeof value}`);
  }
  if (value.trim().length < 1) {
    throw new Error(`${name}: Expected non-empty, non-whitespace string but got empty string`);
  }
}

/** Accepts any object carrying the two required RetryOptions fields, as the official worker does. */
function requireRetryOptions(value: unknown): void {
  const ok =
    typeof value === "object" &&
    value !== null &&
    Object.prototype.hasOwnProperty.call(value, "firstRetryIntervalInMilliseconds") &&
    Object.prototype.hasOwnProperty.call(value, "maxNumberOfAttempts");
  if (!ok) {
    throw new TypeError(
      `retryOptions: Expected object of type RetryOptions but got ${typeof value}; are you missing properties?`,
    );
  }
}
