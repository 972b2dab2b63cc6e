import { randomUUID } from "node:crypto";
import type {
  RpcFunctionMetadata,
  RpcInvocationRequest,
  RpcParameterBinding,
  RpcTypedData,
} from "./core-types";
import { toRpcHttpRequest } from "./http-data";
import type { HostTimerInfo, InvocationInput, TriggerValue } from "./invocation-types";
import { toTypedData } from "./typed-data";

/**
 * The invocation request the Functions host would send for this input: the trigger's data under
 * the trigger binding's name, then each input binding's data. Every call gets a fresh id.
 */
export function buildInvocationRequest(
  metadata: RpcFunctionMetadata,
  input: InvocationInput,
): RpcInvocationRequest {
  const [triggerName, triggerType] = findTrigger(metadata);
  const inputData: RpcParameterBinding[] = [
    { name: triggerName, data: triggerData(metadata.name, triggerType, input.trigger) },
  ];
  for (const [name, value] of Object.entries(input.inputs ?? {})) {
    const binding = metadata.bindings[name];
    if (!binding || binding.direction === "out" || name === triggerName) {
      throw new Error(`Function "${metadata.name}" has no input binding named "${name}".`);
    }
    inputData.push({ name, data: toTypedData(value) });
  }
  const triggerMetadata: Record<string, RpcTypedData> = {};
  for (const [name, value] of Object.entries(input.triggerMetadata ?? {})) {
    const data = toTypedData(value);
    if (data) {
      triggerMetadata[name] = data;
    }
  }
  return { invocationId: randomUUID(), functionId: metadata.functionId, inputData, triggerMetadata };
}

function findTrigger(metadata: RpcFunctionMetadata): [name: string, type: string] {
  for (const [name, binding] of Object.entries(metadata.bindings)) {
    if (typeof binding.type === "string" && /trigger$/i.test(binding.type)) {
      return [name, binding.type];
    }
  }
  throw new Error(`Function "${metadata.name}" has no trigger binding.`);
}

function triggerData(
  functionName: string,
  triggerType: string,
  trigger: TriggerValue,
): RpcTypedData | undefined {
  const type = triggerType.toLowerCase();
  // The library turns the data into a request or timer object by the binding type alone, so a
  // mismatch would hand the function the wrong kind of object rather than fail.
  const expected = type === "httptrigger" ? "http" : type === "timertrigger" ? "timer" : "value";
  if (trigger.kind !== expected) {
    throw new Error(
      `Function "${functionName}" has a ${triggerType}: invoke it with a "${expected}" trigger value.`,
    );
  }
  switch (trigger.kind) {
    case "http":
      return { http: toRpcHttpRequest(trigger.request) };
    case "timer":
      return { json: JSON.stringify(toRpcTimer(trigger.timer)) };
    case "value":
      if (trigger.dataType === "json") {
        return trigger.value === undefined ? undefined : { json: JSON.stringify(trigger.value) };
      }
      if (typeof trigger.value !== "string" && trigger.value !== null && trigger.value !== undefined) {
        throw new Error(`The "string" trigger value of "${functionName}" must be a string.`);
      }
      return toTypedData(trigger.value);
  }
}

/** The host serialises .NET's TimerInfo, in PascalCase; the library camel-cases it back. */
function toRpcTimer(timer: HostTimerInfo): Record<string, unknown> {
  const status = timer.scheduleStatus;
  return {
    Schedule: { AdjustForDST: timer.schedule?.adjustForDST ?? true },
    ScheduleStatus: status ? { Last: status.last, Next: status.next, LastUpdated: status.lastUpdated } : null,
    IsPastDue: timer.isPastDue,
  };
}
