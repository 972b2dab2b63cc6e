import { randomUUID } from "node:crypto";

/** A new execution or instance id: a GUID in "N" format (32 hex digits), as the extension generates. */
export function newGuidN(): string {
  return randomUUID().replace(/-/g, "");
}

export function newGuid(): string {
  return randomUUID();
}
