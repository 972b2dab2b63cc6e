import type { FunctionInvoker, FunctionKind } from "../engine/invoker";
import type { EntityBatchRequest, EntityBatchResult } from "../protocol/entities";
import type { OrchestrationTriggerPayload, OrchestratorStatePayload } from "../protocol/orchestrator-state";
import { createInvocationContext, registry as defaultRegistry, type FunctionRegistry } from "../sdk/registry";

/**
 * Runs functions straight from the SDK's registry, the way the Functions worker would hand
 * them their trigger payloads, but without a host.
 */
export class RegistryInvoker implements FunctionInvoker {
  constructor(private readonly registry: FunctionRegistry = defaultRegistry) {}

  hasFunction(kind: FunctionKind, name: string): boolean {
    return this.registry.find(kind, name) !== undefined;
  }

  async invokeOrchestrator(
    name: string,
    payload: OrchestrationTriggerPayload,
  ): Promise<OrchestratorStatePayload> {
    const registration = this.require(this.registry.getOrchestration(name), "orchestration", name);
    // The worker receives the payload as JSON text, and the host reads the result as JSON.
    const state = await registration.handler(JSON.stringify(payload), createInvocationContext(registration));
    return JSON.parse(JSON.stringify(state)) as OrchestratorStatePayload;
  }

  async invokeActivity(name: string, input: unknown, context: { instanceId: string }): Promise<unknown> {
    const registration = this.require(this.registry.getActivity(name), "activity", name);
    const invocation = createInvocationContext(registration, { extraInputs: {} });
    invocation.triggerMetadata = { instanceId: context.instanceId };
    const result = await registration.handler(input, invocation);
    return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  }

  async invokeEntity(name: string, request: EntityBatchRequest): Promise<EntityBatchResult> {
    const registration = this.require(this.registry.getEntity(name), "entity", name);
    const result = await registration.handler(JSON.stringify(request), createInvocationContext(registration));
    return JSON.parse(JSON.stringify(result)) as EntityBatchResult;
  }

  private require<T>(registration: T | undefined, kind: FunctionKind, name: string): T {
    if (!registration) throw new Error(`No ${kind} function named '${name}' is registered.`);
    return registration;
  }
}
