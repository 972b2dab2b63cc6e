/** durableClient binding payloads (protocol §2.1) pointing at a test server. */
import type { DurableClientBindingPayload } from "../../src/protocol";

export interface BindingOptions {
  /** Leave rpcBaseUrl out, as older hosts do. */
  legacy?: boolean;
  taskHubName?: string;
  /** The system key in the webhook URLs; "" for none. */
  code?: string;
}

export function durableClientBinding(
  origin: string,
  options: BindingOptions = {},
): DurableClientBindingPayload {
  const hub = options.taskHubName ?? "TestHub";
  const code = options.code ?? "XYZ";
  const webhook = `${origin}/runtime/webhooks/durabletask`;
  const required = code ? `code=${code}` : "";
  const suffix = `taskHub=${hub}&connection=Storage${required ? `&${required}` : ""}`;
  const instance = `${webhook}/instances/INSTANCEID`;
  const binding: DurableClientBindingPayload = {
    taskHubName: hub,
    connectionName: null,
    creationUrls: {
      createNewInstancePostUri: `${webhook}/orchestrators/{functionName}[/{instanceId}]?${required}`,
      createAndWaitOnNewInstancePostUri:
        `${webhook}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}` +
        `&pollingInterval={intervalInSeconds}${required ? `&${required}` : ""}`,
    },
    managementUrls: {
      id: "INSTANCEID",
      statusQueryGetUri: `${instance}?${suffix}`,
      sendEventPostUri: `${instance}/raiseEvent/{eventName}?${suffix}`,
      terminatePostUri: `${instance}/terminate?reason={text}&${suffix}`,
      rewindPostUri: `${instance}/rewind?reason={text}&${suffix}`,
      purgeHistoryDeleteUri: `${instance}?${suffix}`,
      restartPostUri: `${instance}/restart?${suffix}`,
      suspendPostUri: `${instance}/suspend?reason={text}&${suffix}`,
      resumePostUri: `${instance}/resume?reason={text}&${suffix}`,
    },
    baseUrl: webhook,
    requiredQueryStringParameters: required,
    rpcBaseUrl: `${origin}/durabletask/`,
    httpBaseUrl: null,
  };
  if (options.legacy) {
    delete binding.rpcBaseUrl;
  }
  return binding;
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
