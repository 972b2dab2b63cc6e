import type { FunctionInvoker, FunctionKind } from "../engine/invoker";
import type { EntityBatchRequest, EntityBatchResult } from "../protocol/entities";
import type { OrchestrationTriggerPayload, OrchestratorStatePayload } from "../protocol/orchestrator-state";
import type { FunctionApp } from "./functions-worker";

const TRIGGER_OF: Record<FunctionKind, string> = {
  orchestration: "orchestrationTrigger",
  activity: "activityTrigger",
  entity: "entityTrigger",
};

/**
 * Runs an app's durable functions the way the Durable Functions extension hands them to the
 * Node worker: the orchestration and entity payloads as JSON text, the activity input as JSON,
 * through whichever SDK the app registered them with.
 */
export class AppInvoker implements FunctionInvoker {
  constructor(private readonly app: FunctionApp) {}

  hasFunction(kind: FunctionKind, name: string): boolean {
    const lower = name.toLowerCase();
    return this.app.functions.some(
      (fn) => fn.name.toLowerCase() === lower && fn.trigger.type === TRIGGER_OF[kind],
    );
  }

  async invokeOrchestrator(
    name: string,
    payload: OrchestrationTriggerPayload,
  ): Promise<OrchestratorStatePayload> {
    return (await this.invokeWithText(name, payload)) as OrchestratorStatePayload;
  }

  async invokeActivity(name: string, input: unknown, context: { instanceId: string }): Promise<unknown> {
    const { returnValue } = await this.app.invoke(name, {
      trigger: { kind: "value", value: input === undefined ? null : input, dataType: "json" },
      triggerMetadata: { instanceId: context.instanceId },
    });
    return returnValue;
  }

  async invokeEntity(name: string, request: EntityBatchRequest): Promise<EntityBatchResult> {
    return (await this.invokeWithText(name, request)) as EntityBatchResult;
  }

  private async invokeWithText(name: string, payload: object): Promise<unknown> {
    const { returnValue } = await this.app.invoke(name, {
      trigger: { kind: "value", value: JSON.stringify(payload), dataType: "string" },
    });
    // A worker answers with JSON; some SDK paths hand it over as text.
    return typeof returnValue === "string" ? (JSON.parse(returnValue) as unknown) : returnValue;
  }
}
