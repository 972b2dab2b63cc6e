/**
 * The classes an orchestrator scenario needs, from either package. Scenarios are written once and
 * run against both, each with its own classes (the official `lock()` checks `instanceof` its own
 * EntityId, ours checks ours).
 */
import { EntityId } from "../../../src/sdk/entity-id";
import { TaskFailedError } from "../../../src/sdk/errors/task-failed-error";
import { ManagedIdentityTokenSource } from "../../../src/sdk/http/managed-identity-token-source";
import { RetryOptions } from "../../../src/sdk/retry-options";
import { createOrchestrationHandler } from "../../../src/sdk/orchestration/handler";
import { registeredActivity } from "../../../src/sdk/orchestration/tasks/activity-call-task";
import { registeredOrchestration } from "../../../src/sdk/orchestration/tasks/sub-orchestration-call-task";
import type { OrchestrationContext, RegisteredOrchestration } from "../../../src/sdk/orchestration/types";
import type { RegisteredActivity } from "../../../src/sdk/activity/activity-types";
import {
  OfficialRegisteredActivityTask,
  OfficialRegisteredOrchestrationTask,
  officialDf,
  officialOrchestrationHandler,
} from "./official";
import type { WireOrchestrationHandler } from "./worker-outcome";

export interface DurableApi {
  EntityId: new (name: string, key: string) => EntityId;
  RetryOptions: new (firstRetryIntervalInMilliseconds: number, maxNumberOfAttempts: number) => RetryOptions;
  ManagedIdentityTokenSource: new (resource: string) => ManagedIdentityTokenSource;
  TaskFailedError: abstract new (...args: never[]) => TaskFailedError;
  /** What `app.activity(name, ...)` returns, without registering anything. */
  activity(name: string): RegisteredActivity;
  /** What `app.orchestration(name, ...)` returns, without registering anything. */
  orchestration(name: string): RegisteredOrchestration;
}

/** An orchestrator as scenarios write it: typed against our API, run against both. */
export type Orchestrator = (context: OrchestrationContext) => Generator<unknown, unknown, unknown>;

export const oursApi: DurableApi = {
  EntityId,
  RetryOptions,
  ManagedIdentityTokenSource,
  TaskFailedError,
  activity: registeredActivity,
  orchestration: registeredOrchestration,
};

export const officialApi: DurableApi = {
  EntityId: officialDf.EntityId as unknown as DurableApi["EntityId"],
  RetryOptions: officialDf.RetryOptions as unknown as DurableApi["RetryOptions"],
  ManagedIdentityTokenSource:
    officialDf.ManagedIdentityTokenSource as unknown as DurableApi["ManagedIdentityTokenSource"],
  TaskFailedError: officialDf.TaskFailedError as unknown as DurableApi["TaskFailedError"],
  activity: (name) => (input) =>
    new OfficialRegisteredActivityTask(name, input) as unknown as ReturnType<RegisteredActivity>,
  orchestration: (name) => (input, instanceId) =>
    new OfficialRegisteredOrchestrationTask(
      name,
      input,
      instanceId,
    ) as unknown as ReturnType<RegisteredOrchestration>,
};

export function oursHandler(make: (api: DurableApi) => Orchestrator): WireOrchestrationHandler {
  const handler = createOrchestrationHandler(
    make(oursApi) as Parameters<typeof createOrchestrationHandler>[0],
  );
  return handler as WireOrchestrationHandler;
}

export function officialHandler(make: (api: DurableApi) => Orchestrator): WireOrchestrationHandler {
  return officialOrchestrationHandler(make(officialApi) as (context: never) => unknown);
}
