/**
 * R12–R14, the entity routes. Matched here so the routing stays complete (an entity path never
 * falls through to a 404), but answered 501 until the engine's entity client operations exist.
 * Replace this file to implement them.
 */
import { errorResponse } from "./api-error";
import type { HostResponse } from "./host-http";

export type EntityRoute =
  | { kind: "signalEntity"; entityName: string; entityKey: string; isDelete: boolean }
  | { kind: "readEntity"; entityName: string; entityKey: string }
  | { kind: "listEntities"; entityName?: string };

/** `segments` follow `entities/`. */
export function matchEntityRoute(method: string, segments: readonly string[]): EntityRoute | undefined {
  const [entityName, entityKey, ...extra] = segments;
  if (extra.length > 0) return undefined;
  if (entityName !== undefined && entityKey !== undefined) {
    if (method === "POST" || method === "DELETE") {
      return { kind: "signalEntity", entityName, entityKey, isDelete: method === "DELETE" };
    }
    return method === "GET" ? { kind: "readEntity", entityName, entityKey } : undefined;
  }
  if (method !== "GET") return undefined;
  return entityName === undefined ? { kind: "listEntities" } : { kind: "listEntities", entityName };
}

export async function handleEntityRoute(_route: EntityRoute): Promise<HostResponse> {
  return errorResponse(501, "Durable entities are not supported by this host's management API yet.");
}
