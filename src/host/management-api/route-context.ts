import { validateInstanceId, type TaskHubClient } from "../../engine/client";
import type { CheckStatusPayload } from "../../protocol/client-payload";
import { badRequest } from "./api-error";
import type { HostRequest } from "./host-http";
import type { QueryParameters } from "./query-parameters";

export interface ApiSettings {
  readonly taskHubName: string;
  readonly connectionName: string;
  readonly webhookPath: string;
  readonly systemKey: string | undefined;
  hasOrchestrator(name: string): boolean;
}

/** What a route handler works with for one request. */
export interface RouteContext {
  readonly client: TaskHubClient;
  readonly request: HostRequest;
  readonly query: QueryParameters;
  readonly settings: ApiSettings;
  /** The check-status payload of an instance, on the origin the request came to. */
  checkStatus(instanceId: string): CheckStatusPayload;
}

/** Refuses an id the task hub could not store or address, before anything is changed. */
export function requireValidInstanceId(instanceId: string): string {
  try {
    validateInstanceId(instanceId);
  } catch (error) {
    throw badRequest((error as Error).message);
  }
  return instanceId;
}

/** Refuses to start what no worker could run: the instance would stay Pending forever. */
export function requireOrchestrator(context: RouteContext, functionName: string): void {
  if (!context.settings.hasOrchestrator(functionName)) {
    throw badRequest(
      `The function '${functionName}' doesn't exist, is disabled, or is not an orchestrator function.`,
    );
  }
}
