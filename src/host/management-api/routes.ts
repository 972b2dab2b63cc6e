import { badRequest } from "./api-error";
import { matchEntityRoute, type EntityRoute } from "./entity-routes";

export type InstanceOperation = "terminate" | "suspend" | "resume" | "rewind" | "restart";

/** The routes of protocol §1.2, with their path parameters decoded. */
export type Route =
  | { kind: "startNew"; functionName: string; instanceId?: string }
  | { kind: "getStatus"; instanceId: string }
  | { kind: "listInstances" }
  | { kind: "purge"; instanceId: string }
  | { kind: "purgeBy" }
  | { kind: "raiseEvent"; instanceId: string; eventName: string }
  | { kind: "operation"; instanceId: string; operation: InstanceOperation }
  | EntityRoute;

const OPERATIONS: readonly InstanceOperation[] = ["terminate", "suspend", "resume", "rewind", "restart"];

/**
 * The path below the webhook base, split into decoded segments, or undefined when the path is
 * not under it. The base matches ignoring case, like Functions routes; `/` is trimmed from both
 * ends of the rest, as the extension does before matching.
 */
export function pathBelow(base: string, pathname: string): string[] | undefined {
  const lowerPath = pathname.toLowerCase();
  const lowerBase = base.toLowerCase();
  if (lowerPath !== lowerBase && !lowerPath.startsWith(`${lowerBase}/`)) return undefined;
  const rest = pathname.slice(base.length).replace(/^\/+|\/+$/g, "");
  if (rest === "") return [];
  return rest.split("/").map((segment) => {
    try {
      return decodeURIComponent(segment);
    } catch (error) {
      throw badRequest(`The path segment '${segment}' is not valid URL encoding.`, error);
    }
  });
}

/**
 * The route for a method and path. Literal segments match case-sensitively, except the
 * operation names of R7–R11; a path whose route exists for another method has no route, and
 * neither has one with an empty segment (`instances//terminate`), as in ASP.NET routing.
 */
export function matchRoute(method: string, segments: readonly string[]): Route | undefined {
  const [root, first, second, third, ...extra] = segments;
  if (extra.length > 0 || segments.includes("")) return undefined;
  switch (root) {
    case "orchestrators":
      if (method !== "POST" || first === undefined || third !== undefined) return undefined;
      return {
        kind: "startNew",
        functionName: first,
        ...(second === undefined ? {} : { instanceId: second }),
      };
    case "instances":
      return matchInstanceRoute(method, first, second, third);
    case "entities":
      return matchEntityRoute(method, segments.slice(1));
    default:
      return undefined;
  }
}

function matchInstanceRoute(
  method: string,
  instanceId: string | undefined,
  action: string | undefined,
  eventName: string | undefined,
): Route | undefined {
  if (instanceId === undefined) {
    if (method === "GET") return { kind: "listInstances" };
    if (method === "DELETE") return { kind: "purgeBy" };
    return undefined;
  }
  if (action === undefined) {
    if (method === "GET") return { kind: "getStatus", instanceId };
    if (method === "DELETE") return { kind: "purge", instanceId };
    return undefined;
  }
  if (method !== "POST") return undefined;
  if (action === "raiseEvent") {
    return eventName === undefined ? undefined : { kind: "raiseEvent", instanceId, eventName };
  }
  const operation = OPERATIONS.find((name) => name === action.toLowerCase());
  if (operation === undefined || eventName !== undefined) return undefined;
  return { kind: "operation", instanceId, operation };
}
