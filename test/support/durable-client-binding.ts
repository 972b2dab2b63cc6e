/** durableClient binding payloads (protocol §2.1) pointing at a test server. */
import { durableClientBindingPayload } from "../../src/host/management-api";
import type { DurableClientBindingPayload } from "../../src/protocol";

export interface BindingOptions {
  /** Leave rpcBaseUrl out, as older hosts do. */
  legacy?: boolean;
  taskHubName?: string;
  /** The system key in the webhook URLs; "" for none. */
  code?: string;
}

/**
 * The host's binding for a test server at `origin`, with rpcBaseUrl on /durabletask/ as the
 * extension's rpc listener has it (where the SDK client tests' servers answer the rpc calls).
 */
export function durableClientBinding(
  origin: string,
  options: BindingOptions = {},
): DurableClientBindingPayload {
  const binding = durableClientBindingPayload({
    origin,
    rpcPath: "/durabletask",
    taskHubName: options.taskHubName ?? "TestHub",
    connectionName: "Storage",
    code: options.code ?? "XYZ",
  });
  if (!options.legacy) return binding;
  const { rpcBaseUrl: _rpc, ...legacy } = binding;
  return legacy;
}

/** A status object as the host's R2 route returns it. */
export function statusBody(
  runtimeStatus: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name: "Hello",
    instanceId: "abc",
    runtimeStatus,
    input: { city: "Tokyo" },
    customStatus: null,
    output: runtimeStatus === "Completed" ? "Hello Tokyo" : null,
    createdTime: "2024-01-01T00:00:00Z",
    lastUpdatedTime: "2024-01-01T00:00:05Z",
    ...extra,
  };
}
