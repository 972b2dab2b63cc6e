import { randomUUID } from "node:crypto";
import {
  app as azureApp,
  InvocationContext,
  type FunctionHandler,
  type GenericFunctionOptions,
  type LogHandler,
} from "@azure/functions";
import type { DurableClientBindingPayload, EntityBatchResult, OrchestratorStatePayload } from "../protocol";
import type { ActivityHandler } from "./activity/activity-types";
import type { DurableClientHandler } from "./client/client-function-types";
import { isDurableClientInput } from "./client/get-client";
import type { EntityHandler } from "./entity/entity-types";
import type { OrchestrationHandler } from "./orchestration";

/** The kinds of function the SDK registers. */
export type DurableFunctionKind = "orchestration" | "activity" | "entity" | "client";

interface RegistrationBase<K extends DurableFunctionKind, H, U> {
  kind: K;
  /** The function name as registered (lookups ignore case). */
  name: string;
  /** The handler handed to @azure/functions: it speaks the wire protocol. */
  handler: H;
  /** The handler the app wrote. */
  userHandler: U;
  /** Everything passed to `app.generic`: trigger, extraInputs, extraOutputs, return, retry, handler. */
  options: GenericFunctionOptions;
}

/** Orchestration: orchestrationTrigger payload (§3.1) in, OrchestratorState (§3.4) out; throws on failure (§3.8). */
export type OrchestrationRegistration = RegistrationBase<
  "orchestration",
  (trigger: unknown, context: InvocationContext) => Promise<OrchestratorStatePayload>,
  OrchestrationHandler
>;

/** Activity: the decoded input (§4) in, the return value out. */
export type ActivityRegistration = RegistrationBase<
  "activity",
  (input: unknown, context: InvocationContext) => Promise<unknown>,
  ActivityHandler
>;

/** Entity: an entityTrigger batch (§5.2, object or JSON text) in, the batch result (§5.3) out. */
export type EntityRegistration = RegistrationBase<
  "entity",
  (trigger: unknown, context: InvocationContext) => Promise<EntityBatchResult>,
  EntityHandler<unknown>
>;

/** Client function: its own trigger's input in; reads the durableClient binding from the context. */
export type ClientRegistration = RegistrationBase<"client", FunctionHandler, DurableClientHandler>;

export type FunctionRegistration =
  OrchestrationRegistration | ActivityRegistration | EntityRegistration | ClientRegistration;

type RegistrationOf<K extends DurableFunctionKind> = Extract<FunctionRegistration, { kind: K }>;

/**
 * Every durable function the app registered through this SDK's `app.*`, so the engine and tests
 * can invoke them without a Functions host. Names are case-insensitive, as in Azure Functions.
 */
export class FunctionRegistry {
  private readonly byName = new Map<string, FunctionRegistration>();

  /** @throws Error when a function with the same name (ignoring case) is already registered. */
  add(registration: FunctionRegistration): void {
    const key = registration.name.toLowerCase();
    const existing = this.byName.get(key);
    if (existing) {
      throw new Error(
        `A function named '${existing.name}' is already registered; function names must be unique (ignoring case).`,
      );
    }
    this.byName.set(key, registration);
  }

  /** The function with this name, of any kind. */
  get(name: string): FunctionRegistration | undefined {
    return this.byName.get(name.toLowerCase());
  }

  /** The function with this name when it is of kind `kind`. */
  find<K extends DurableFunctionKind>(kind: K, name: string): RegistrationOf<K> | undefined {
    const registration = this.get(name);
    return registration?.kind === kind ? (registration as RegistrationOf<K>) : undefined;
  }

  getOrchestration(name: string): OrchestrationRegistration | undefined {
    return this.find("orchestration", name);
  }

  getActivity(name: string): ActivityRegistration | undefined {
    return this.find("activity", name);
  }

  /** Entity names arrive lower-cased from the host ("@counter@k"); the lookup ignores case anyway. */
  getEntity(name: string): EntityRegistration | undefined {
    return this.find("entity", name);
  }

  getClient(name: string): ClientRegistration | undefined {
    return this.find("client", name);
  }

  /** All registrations in registration order, or those of one kind. */
  list(): FunctionRegistration[];
  list<K extends DurableFunctionKind>(kind: K): RegistrationOf<K>[];
  list(kind?: DurableFunctionKind): FunctionRegistration[] {
    const all = [...this.byName.values()];
    return kind ? all.filter((registration) => registration.kind === kind) : all;
  }

  /** Forgets one function; true when it was registered. */
  remove(name: string): boolean {
    return this.byName.delete(name.toLowerCase());
  }

  /** Forgets every registration (between tests, or before reloading an app). */
  clear(): void {
    this.byName.clear();
  }
}

/** The registry `app.*` writes to. One per loaded copy of the SDK. */
export const registry = new FunctionRegistry();

/**
 * Records `registration` here and registers it with @azure/functions (hence with the worker or
 * our host). If either refuses it (duplicate name, duplicate binding names), neither keeps it.
 */
export function registerFunction(registration: FunctionRegistration): void {
  registry.add(registration);
  try {
    azureApp.generic(registration.name, registration.options);
  } catch (error) {
    registry.remove(registration.name);
    throw error;
  }
}

/** What a caller may supply when invoking a registered function without a host. */
export interface InvocationInit {
  invocationId?: string;
  logHandler?: LogHandler;
  /** Values of extra inputs, by binding name. */
  extraInputs?: Record<string, unknown>;
  /** The durableClient binding value (object or JSON text), for functions that declare the input. */
  durableClient?: DurableClientBindingPayload | string;
}

/**
 * An InvocationContext shaped like the one the Functions worker builds for `registration`: same
 * function name and binding options, so `getClient(context)` and `context.extraInputs` work.
 */
export function createInvocationContext(
  registration: FunctionRegistration,
  init: InvocationInit = {},
): InvocationContext {
  const { trigger, extraInputs = [], extraOutputs = [], return: returnOutput } = registration.options;
  const context = new InvocationContext({
    functionName: registration.name,
    invocationId: init.invocationId ?? randomUUID(),
    logHandler: init.logHandler,
    options: { trigger, extraInputs, extraOutputs, return: returnOutput },
  });
  for (const [name, value] of Object.entries(init.extraInputs ?? {})) {
    context.extraInputs.set(name, value);
  }
  const clientInput = extraInputs.find(isDurableClientInput);
  if (clientInput && init.durableClient !== undefined) {
    context.extraInputs.set(clientInput, init.durableClient);
  }
  return context;
}
