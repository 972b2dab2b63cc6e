/**
 * A FunctionInvoker over the REAL `durable-functions` package, for engine tests that check our
 * host side against the official worker. Functions are declared with the official `df.app.*`;
 * `@azure/functions`' `app.generic` is intercepted to keep each wire-level handler.
 */
import type { InvocationContext } from "@azure/functions";
import type { FunctionInvoker, FunctionKind } from "../../src/engine/invoker";
import type { EntityBatchRequest, EntityBatchResult } from "../../src/protocol/entities";
import type {
  OrchestrationTriggerPayload,
  OrchestratorStatePayload,
} from "../../src/protocol/orchestrator-state";

type WireHandler = (trigger: unknown, context: InvocationContext) => unknown;

interface CapturedHandler {
  kind: FunctionKind;
  handler: WireHandler;
}

const HANDLERS = Symbol.for("durable-ts.test.official-handlers");
type Holder = { [HANDLERS]?: Map<string, CapturedHandler> };

export function officialHandlers(): Map<string, CapturedHandler> {
  const holder = globalThis as Holder;
  holder[HANDLERS] ??= new Map();
  return holder[HANDLERS];
}

/** Use as: jest.mock("@azure/functions", () => jest.requireActual(...).interceptGeneric()). */
export function interceptGeneric(): Record<string, unknown> {
  const actual = jest.requireActual<typeof import("@azure/functions")>("@azure/functions");
  const generic = (name: string, options: { trigger: { type: string }; handler: WireHandler }) => {
    const type = options.trigger.type;
    const kind: FunctionKind | undefined =
      type === "orchestrationTrigger"
        ? "orchestration"
        : type === "activityTrigger"
          ? "activity"
          : type === "entityTrigger"
            ? "entity"
            : undefined;
    if (kind) officialHandlers().set(name.toLowerCase(), { kind, handler: options.handler });
  };
  return { ...actual, app: { ...actual.app, generic } };
}

export class OfficialInvoker implements FunctionInvoker {
  hasFunction(kind: FunctionKind, name: string): boolean {
    return officialHandlers().get(name.toLowerCase())?.kind === kind;
  }

  async invokeOrchestrator(
    name: string,
    payload: OrchestrationTriggerPayload,
  ): Promise<OrchestratorStatePayload> {
    const state = await this.handler(name)(JSON.parse(JSON.stringify(payload)), this.context(name));
    return JSON.parse(JSON.stringify(state)) as OrchestratorStatePayload;
  }

  async invokeActivity(name: string, input: unknown): Promise<unknown> {
    const result = await this.handler(name)(input, this.context(name));
    return result === undefined ? undefined : JSON.parse(JSON.stringify(result));
  }

  async invokeEntity(name: string, request: EntityBatchRequest): Promise<EntityBatchResult> {
    const result = await this.handler(name)(JSON.parse(JSON.stringify(request)), this.context(name));
    return JSON.parse(JSON.stringify(result)) as EntityBatchResult;
  }

  private handler(name: string): WireHandler {
    const captured = officialHandlers().get(name.toLowerCase());
    if (!captured) throw new Error(`official function '${name}' not registered`);
    return captured.handler;
  }

  private context(name: string): InvocationContext {
    const { InvocationContext } = jest.requireActual<typeof import("@azure/functions")>("@azure/functions");
    return new InvocationContext({ functionName: name, invocationId: "test" });
  }
}
