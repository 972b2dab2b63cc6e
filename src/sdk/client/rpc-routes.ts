import type { EntityIdPayload } from "../../protocol";
import type { OrchestrationFilter, StatusQuery, TaskHubOptions } from "./client-options";
import { runtimeStatusList, taskHubQuery, type ClientRoutes } from "./client-routes";

/**
 * URLs relative to the binding's rpcBaseUrl. Values go into paths and queries unencoded, exactly
 * as durable-functions writes them; only the URL parser's own escaping applies. The host decodes.
 */
export class RpcRoutes implements ClientRoutes {
  constructor(private readonly rpcBaseUrl: string) {}

  startNew(functionName: string, instanceId: string | undefined, version: string | undefined): string {
    const instancePath = instanceId ? `/${instanceId}` : "";
    const url = new URL(`orchestrators/${functionName}${instancePath}`, this.rpcBaseUrl);
    if (version) {
      url.searchParams.append("version", version);
    }
    return url.href;
  }

  status(query: StatusQuery): string {
    const items = taskHubQuery(query);
    if (query.showHistory) {
      items.push(`showHistory=${query.showHistory}`);
    }
    if (query.showHistoryOutput) {
      items.push(`showHistoryOutput=${query.showHistoryOutput}`);
    }
    if (query.showInput) {
      items.push(`showInput=${query.showInput}`);
    }
    items.push(...filterQuery(query));
    return this.resolve(new URL(`instances/${query.instanceId || ""}`, this.rpcBaseUrl).href, items);
  }

  purge(instanceId: string): string {
    return new URL(`instances/${instanceId}`, this.rpcBaseUrl).href;
  }

  purgeBy(filter: OrchestrationFilter): string {
    return this.resolve(new URL("instances/", this.rpcBaseUrl).href, filterQuery(filter));
  }

  raiseEvent(instanceId: string, eventName: string, options: TaskHubOptions): string {
    return this.resolve(`instances/${instanceId}/raiseEvent/${eventName}`, taskHubQuery(options));
  }

  terminate(instanceId: string, reason: string): string {
    return this.instanceOperation(instanceId, "terminate", reason);
  }

  suspend(instanceId: string, reason: string): string {
    return this.instanceOperation(instanceId, "suspend", reason);
  }

  resume(instanceId: string, reason: string): string {
    return this.instanceOperation(instanceId, "resume", reason);
  }

  rewind(instanceId: string, reason: string, options: TaskHubOptions): string {
    const items = [`reason=${reason}`, ...taskHubQuery(options)];
    return new URL(`instances/${instanceId}/rewind?${items.join("&")}`, this.rpcBaseUrl).href;
  }

  signalEntity(
    entityId: EntityIdPayload,
    operationName: string | undefined,
    options: TaskHubOptions,
  ): string {
    const items = operationName ? [`op=${operationName}`] : [];
    items.push(...taskHubQuery(options));
    return this.resolve(`entities/${entityId.name}/${entityId.key}`, items);
  }

  readEntityState(entityId: EntityIdPayload, options: TaskHubOptions): string {
    return this.resolve(`entities/${entityId.name}/${entityId.key}`, taskHubQuery(options));
  }

  private instanceOperation(instanceId: string, operation: string, reason: string): string {
    return new URL(`instances/${instanceId}/${operation}?reason=${reason}`, this.rpcBaseUrl).href;
  }

  private resolve(path: string, query: string[]): string {
    const withQuery = query.length > 0 ? `${path}?${query.join("&")}` : path;
    return new URL(withQuery, this.rpcBaseUrl).href;
  }
}

function filterQuery({ createdTimeFrom, createdTimeTo, runtimeStatus }: OrchestrationFilter): string[] {
  const items: string[] = [];
  if (createdTimeFrom) {
    items.push(`createdTimeFrom=${createdTimeFrom.toISOString()}`);
  }
  if (createdTimeTo) {
    items.push(`createdTimeTo=${createdTimeTo.toISOString()}`);
  }
  const statuses = runtimeStatusList(runtimeStatus);
  if (statuses) {
    items.push(`runtimeStatus=${statuses}`);
  }
  return items;
}
