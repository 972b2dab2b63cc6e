import type { EntityIdPayload } from "../../protocol";
import type { OrchestrationFilter, StatusQuery, TaskHubOptions } from "./client-options";

/**
 * The URL of each management call. Two implementations: `rpc-routes` (the binding has an
 * rpcBaseUrl, as every current host sends) and `legacy-routes` (URL templates of older hosts).
 */
export interface ClientRoutes {
  startNew(functionName: string, instanceId: string | undefined, version: string | undefined): string;
  status(query: StatusQuery): string;
  purge(instanceId: string): string;
  purgeBy(filter: OrchestrationFilter): string;
  raiseEvent(instanceId: string, eventName: string, options: TaskHubOptions): string;
  terminate(instanceId: string, reason: string): string;
  suspend(instanceId: string, reason: string): string;
  resume(instanceId: string, reason: string): string;
  rewind(instanceId: string, reason: string, options: TaskHubOptions): string;
  signalEntity(entityId: EntityIdPayload, operationName: string | undefined, options: TaskHubOptions): string;
  readEntityState(entityId: EntityIdPayload, options: TaskHubOptions): string;
}

/** `runtimeStatus` as the query expects it: a comma-separated list. */
export function runtimeStatusList(statuses: OrchestrationFilter["runtimeStatus"]): string | undefined {
  return statuses && statuses.length > 0 ? statuses.map((status) => status.toString()).join(",") : undefined;
}

/** `taskHub=` and `connection=` query items for the options that are set. */
export function taskHubQuery({ taskHubName, connectionName }: TaskHubOptions): string[] {
  const query: string[] = [];
  if (taskHubName) {
    query.push(`taskHub=${taskHubName}`);
  }
  if (connectionName) {
    query.push(`connection=${connectionName}`);
  }
  return query;
}
