/**
 * R12–R14, the entity routes (protocol §1.3): signal an entity, read its state, list entities.
 * Served on the webhook path and, being the same handler, on the rpc path the client
 * functions' durable clients call (`signalEntity`, `readEntityState`).
 */
import { validateEntityId } from "../../engine/entities/entity-id-validation";
import { parseJsonLenient } from "../../engine/history-events";
import type { EntityIdPayload } from "../../protocol/actions";
import type { EntityListItemBody } from "../../protocol/status";
import { badRequest } from "./api-error";
import { JSON_CONTENT_TYPE, emptyResponse, jsonResponse, type HostResponse } from "./host-http";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, continuationHeaders, requestedContinuationToken } from "./paging";
import { mediaType, readJsonBody, readTextBody } from "./request-body";
import type { RouteContext } from "./route-context";

export type EntityRoute =
  | { kind: "signalEntity"; entityName: string; entityKey: string; isDelete: boolean }
  | { kind: "readEntity"; entityName: string; entityKey: string }
  | { kind: "listEntities"; entityName?: string };

/** What R13 reads as the empty key (the extension's EmptyEntityKeySymbol). */
const EMPTY_KEY_SYMBOL = "$";

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

export function handleEntityRoute(context: RouteContext, route: EntityRoute): Promise<HostResponse> {
  switch (route.kind) {
    case "signalEntity":
      return signalEntity(context, { name: route.entityName, key: route.entityKey }, route.isDelete);
    case "readEntity":
      return readEntity(context, { name: route.entityName, key: route.entityKey });
    case "listEntities":
      return listEntities(context, route.entityName);
  }
}

/**
 * R12: POST entities/{name}/{key}?op=…, or DELETE for the operation "delete". The input is the
 * JSON body; a body of another media type is the input as a string; no body, no input.
 */
async function signalEntity(
  context: RouteContext,
  entity: EntityIdPayload,
  isDelete: boolean,
): Promise<HostResponse> {
  requireValidEntityId(entity);
  const operation = isDelete ? "delete" : (context.query.get("op") ?? "");
  await context.client.entities.signal(entity, operation, operationInput(context));
  return emptyResponse(202);
}

/** The operation's input as JSON text, or null for none. */
function operationInput({ request }: RouteContext): string | null {
  if (request.body.length === 0) return null;
  if (mediaType(request) === "application/json") {
    return readJsonBody(request, (error) =>
      badRequest(`Could not parse JSON content: ${error instanceof Error ? error.message : String(error)}`),
    );
  }
  return JSON.stringify(readTextBody(request));
}

/**
 * R13: GET entities/{name}/{key}: 200 with the state JSON itself, 404 when the entity does not
 * exist. The key `$` stands for the empty key; this host refuses empty keys (a signal cannot
 * create such an entity, see validateEntityId), so no entity has it and the answer is 404.
 * As in the extension, only this route reads `$` so: R12 signals the key "$" itself.
 */
async function readEntity(context: RouteContext, entity: EntityIdPayload): Promise<HostResponse> {
  requireValidEntityId(entity);
  if (entity.key === EMPTY_KEY_SYMBOL) return emptyResponse(404);
  const result = await context.client.entities.readState(entity);
  if (!result.exists) return emptyResponse(404);
  // The state as stored, not re-serialised; an entity that exists without state reads as null.
  return { status: 200, headers: { "Content-Type": JSON_CONTENT_TYPE }, body: result.state ?? "null" };
}

/**
 * R14: GET entities/{name?}: one page of the entities that exist (of that name, when given),
 * paged with `top` and `x-ms-continuation-token` as R3 is. `state` is null unless fetchState=true.
 */
async function listEntities(context: RouteContext, entityName: string | undefined): Promise<HostResponse> {
  const { client, query, request } = context;
  // The name becomes an instance id prefix: refuse what would make it match other entities.
  if (entityName !== undefined) requireValidEntityId({ name: entityName, key: EMPTY_KEY_SYMBOL });
  const page = await client.entities.list({
    entityName,
    lastOperationTimeFrom: query.date("lastOperationTimeFrom"),
    lastOperationTimeTo: query.date("lastOperationTimeTo"),
    pageSize: query.positiveInteger("top", MAX_PAGE_SIZE) ?? DEFAULT_PAGE_SIZE,
    continuationToken: requestedContinuationToken(request),
    fetchState: query.boolean("fetchState", false),
  });
  const body = page.entities.map((entity): EntityListItemBody => ({
    entityId: entity.entityId,
    lastOperationTime: entity.lastOperationTime,
    state: parseJsonLenient(entity.state),
  }));
  return jsonResponse(200, body, continuationHeaders(page.continuationToken));
}

/**
 * A name or key that could not be stored or addressed is a 400 with just the reason, as the
 * extension answers an ArgumentException from EntityId.
 */
function requireValidEntityId(entity: EntityIdPayload): void {
  try {
    validateEntityId(entity);
  } catch (error) {
    throw badRequest((error as Error).message);
  }
}
