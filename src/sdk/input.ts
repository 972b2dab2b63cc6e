import { input as azureInput } from "@azure/functions";
import type { DurableClientInput } from "./client/client-function-types";

/** The durableClient input binding; add it to `extraInputs` and call `getClient(context)`. */
export function durableClient(): DurableClientInput {
  return azureInput.generic({ type: "durableClient" }) as DurableClientInput;
}
