import type { FunctionInput, InvocationContext } from "@azure/functions";
import type { DurableClientBindingPayload } from "../../protocol";
import { DurableClient } from "./durable-client";
import { withOrigin } from "./webhook-urls";

/** Where the webhook URLs point when the app runs locally (Functions Core Tools' default). */
const LOCAL_ORIGIN = "http://localhost:7071";

/** True for the durable client input binding, including its Durable Functions v1 name. */
export function isDurableClientInput(input: FunctionInput): boolean {
  return input.type === "durableClient" || input.type === "orchestrationClient";
}

/**
 * The DurableClient of a function registered with a durableClient input (`input.durableClient()`
 * in `extraInputs`, or any `app.client.*` function).
 */
export function getClient(context: InvocationContext): DurableClient {
  const clientInput = context.options.extraInputs.find(isDurableClientInput);
  if (!clientInput) {
    throw new Error(
      "Could not find a registered durable client input binding. Check your extraInputs definition when registering your function.",
    );
  }
  let clientData = readBindingPayload(context.extraInputs.get(clientInput));
  if (isRunningLocally()) {
    clientData = {
      ...clientData,
      creationUrls: withOrigin(clientData.creationUrls, LOCAL_ORIGIN),
      managementUrls: withOrigin(clientData.managementUrls, LOCAL_ORIGIN),
    };
  }
  return new DurableClient(clientData);
}

/** Outside Azure, the host's webhook URLs are rewritten to the local default origin. */
function isRunningLocally(): boolean {
  const hostName = process.env.WEBSITE_HOSTNAME;
  return !hostName || hostName.includes("0.0.0.0");
}

function readBindingPayload(value: unknown): DurableClientBindingPayload {
  // The Node worker parses the binding's JSON text; hosts that hand over the text itself work too.
  const data: unknown = typeof value === "string" ? tryParse(value) : value;
  if (isBindingPayload(data)) {
    return data;
  }
  throw new Error(
    "Received input is not a valid durable client input. Check your extraInputs definition when registering your function.",
  );
}

function isBindingPayload(value: unknown): value is DurableClientBindingPayload {
  if (!value || typeof value !== "object") {
    return false;
  }
  const payload = value as Partial<DurableClientBindingPayload>;
  return (
    payload.taskHubName !== undefined &&
    payload.creationUrls !== undefined &&
    payload.managementUrls !== undefined
  );
}

function tryParse(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
