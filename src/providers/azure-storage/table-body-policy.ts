/**
 * A pipeline policy for the table clients: request bodies (single entities and `$batch`
 * transactions) go out with the characters of `storage-safe-json.ts` escaped, so a value holding
 * U+2028 or U+2029 cannot fail a transaction on Azurite, nor wedge it for every later one.
 */
import type { TableServiceClientOptions } from "@azure/data-tables";
import { escapeStorageUnsafeCharacters } from "./storage-safe-json";

type PipelinePolicy = NonNullable<TableServiceClientOptions["additionalPolicies"]>[number]["policy"];

export const TABLE_BODY_POLICY_NAME = "durableTableBodyEscaping";

/**
 * Table bodies are JSON, or a multipart `$batch` of JSON sub-requests whose URLs and headers are
 * ASCII; the SDK has serialized them by the time a per-call policy runs.
 */
export function tableBodyPolicy(): PipelinePolicy {
  return {
    name: TABLE_BODY_POLICY_NAME,
    sendRequest(request, next) {
      if (typeof request.body === "string") request.body = escapeStorageUnsafeCharacters(request.body);
      return next(request);
    },
  };
}
