import type { DurableClientBindingPayload, EntityIdPayload } from "../../protocol";
import type { OrchestrationFilter, StatusQuery, TaskHubOptions } from "./client-options";
import { runtimeStatusList, taskHubQuery, type ClientRoutes } from "./client-routes";

const FUNCTION_NAME_PLACEHOLDER = "{functionName}";
const INSTANCE_ID_PATH_PLACEHOLDER = "[/{instanceId}]";
const EVENT_NAME_PLACEHOLDER = "{eventName}";
const REASON_PLACEHOLDER = "{text}";

/**
 * URLs filled in from the binding's templates, for hosts that send no rpcBaseUrl. Substitutions
 * use plain first-occurrence string replacement, as durable-functions does.
 */
export class LegacyRoutes implements ClientRoutes {
  constructor(private readonly binding: DurableClientBindingPayload) {}

  private get idPlaceholder(): string {
    return this.binding.managementUrls.id;
  }

  startNew(functionName: string, instanceId: string | undefined, version: string | undefined): string {
    const url = this.binding.creationUrls.createNewInstancePostUri
      .replace(FUNCTION_NAME_PLACEHOLDER, functionName)
      .replace(INSTANCE_ID_PATH_PLACEHOLDER, instanceId ? `/${instanceId}` : "");
    if (!version) {
      return url;
    }
    return `${url}${url.includes("?") ? "&" : "?"}version=${encodeURIComponent(version)}`;
  }

  status(query: StatusQuery): string {
    const instanceId = typeof query.instanceId === "string" ? query.instanceId : "";
    let url = this.withTaskHub(
      this.binding.managementUrls.statusQueryGetUri.replace(this.idPlaceholder, instanceId),
      query,
    );
    if (query.showHistory) {
      url += `&showHistory=${query.showHistory}`;
    }
    if (query.showHistoryOutput) {
      url += `&showHistoryOutput=${query.showHistoryOutput}`;
    }
    url += filterSuffix(query);
    if (typeof query.showInput === "boolean") {
      url += `&showInput=${query.showInput}`;
    }
    return url;
  }

  purge(instanceId: string): string {
    return this.binding.managementUrls.purgeHistoryDeleteUri.replace(this.idPlaceholder, instanceId);
  }

  purgeBy(filter: OrchestrationFilter): string {
    const url = this.binding.managementUrls.statusQueryGetUri.replace(this.idPlaceholder, "");
    if (!(filter.createdTimeFrom instanceof Date)) {
      throw new Error("createdTimeFrom must be a valid Date");
    }
    return url + filterSuffix(filter);
  }

  raiseEvent(instanceId: string, eventName: string, options: TaskHubOptions): string {
    const url = this.binding.managementUrls.sendEventPostUri
      .replace(this.idPlaceholder, instanceId)
      .replace(EVENT_NAME_PLACEHOLDER, eventName);
    return this.withTaskHub(url, options);
  }

  terminate(instanceId: string, reason: string): string {
    return this.withReason(this.binding.managementUrls.terminatePostUri, instanceId, reason);
  }

  suspend(instanceId: string, reason: string): string {
    return this.withReason(this.binding.managementUrls.suspendPostUri, instanceId, reason);
  }

  resume(instanceId: string, reason: string): string {
    return this.withReason(this.binding.managementUrls.resumePostUri, instanceId, reason);
  }

  /** The template carries the binding's task hub; durable-functions ignores overrides here. */
  rewind(instanceId: string, reason: string): string {
    return this.withReason(this.binding.managementUrls.rewindPostUri, instanceId, reason);
  }

  signalEntity(
    entityId: EntityIdPayload,
    operationName: string | undefined,
    options: TaskHubOptions,
  ): string {
    const items = operationName ? [`op=${operationName}`] : [];
    return this.entityUrl("signalEntity", entityId, [...items, ...taskHubQuery(options)]);
  }

  readEntityState(entityId: EntityIdPayload, options: TaskHubOptions): string {
    return this.entityUrl("readEntityState", entityId, taskHubQuery(options));
  }

  private entityUrl(api: string, entityId: EntityIdPayload, query: string[]): string {
    const { baseUrl, requiredQueryStringParameters } = this.binding;
    if (!(baseUrl && requiredQueryStringParameters)) {
      throw new Error(`Cannot use the ${api} API with this version of the Durable Task Extension.`);
    }
    const items = [...query, requiredQueryStringParameters];
    return `${baseUrl}/entities/${entityId.name}/${entityId.key}?${items.join("&")}`;
  }

  private withReason(template: string, instanceId: string, reason: string): string {
    return template.replace(this.idPlaceholder, instanceId).replace(REASON_PLACEHOLDER, reason);
  }

  private withTaskHub(url: string, { taskHubName, connectionName }: TaskHubOptions): string {
    let result = url;
    if (taskHubName) {
      result = result.replace(this.binding.taskHubName, taskHubName);
    }
    if (connectionName) {
      result = result.replace(/(connection=)(\w+)/gi, `$1${connectionName}`);
    }
    return result;
  }
}

function filterSuffix({ createdTimeFrom, createdTimeTo, runtimeStatus }: OrchestrationFilter): string {
  let suffix = "";
  if (createdTimeFrom) {
    suffix += `&createdTimeFrom=${createdTimeFrom.toISOString()}`;
  }
  if (createdTimeTo) {
    suffix += `&createdTimeTo=${createdTimeTo.toISOString()}`;
  }
  const statuses = runtimeStatusList(runtimeStatus);
  if (statuses) {
    suffix += `&runtimeStatus=${statuses}`;
  }
  return suffix;
}
