import { createHash } from "node:crypto";
import { v5 } from "uuid";

/** The namespace durable-functions uses for every deterministic GUID. */
const GUID_NAMESPACE = "9e952958-5e33-4daf-827f-2fa12937b875";

/**
 * A name-based (v5) UUID that is the same on every replay, equal to what durable-functions 3.5.0
 * returns for the same name. Its recipe is unusual and must be kept: the SHA-1 of `name` (first 16
 * bytes) is used as the UUID *namespace*, and the namespace constant as the UUID *name*.
 */
export function deterministicGuid(name: string): string {
  const digest = createHash("sha1").update(name).digest();
  return v5(GUID_NAMESPACE, Uint8Array.from(digest.subarray(0, 16)));
}
