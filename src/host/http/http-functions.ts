import type { DurableClientBindingPayload } from "../../protocol/client-payload";
import type { AppFunction, FunctionApp, HostHttpResponse } from "../functions-worker";
import { isAuthorized, type HostRequest, type HostResponse } from "../management-api";
import type { RequestHandler } from "./host-server";
import { HttpRouter, type HttpFunctionRoute } from "./http-router";

export interface HttpFunctionsOptions {
  app: FunctionApp;
  routePrefix: string;
  /** The durableClient input of a client function, for a request that came to `origin`. */
  durableClientPayload(origin: string): DurableClientBindingPayload;
  /** When set, callers other than loopback need it for functions that are not anonymous. */
  key?: string;
  onError(error: unknown, functionName: string): void;
}

/** The HTTP-triggered functions of an app, reached under the route prefix. */
export function httpFunctionRoutes(app: FunctionApp): HttpFunctionRoute[] {
  return app.functions
    .filter((fn) => fn.trigger.type === "httpTrigger")
    .map((fn) => ({
      functionName: fn.name,
      route: typeof fn.trigger.route === "string" ? fn.trigger.route : undefined,
      methods: Array.isArray(fn.trigger.methods)
        ? fn.trigger.methods.map((method) => String(method).toUpperCase())
        : undefined,
      authLevel: typeof fn.trigger.authLevel === "string" ? fn.trigger.authLevel : undefined,
    }));
}

export function createHttpFunctionsHandler(options: HttpFunctionsOptions): {
  router: HttpRouter;
  handle: RequestHandler;
} {
  const router = new HttpRouter(httpFunctionRoutes(options.app), options.routePrefix);
  const byName = new Map(options.app.functions.map((fn) => [fn.name, fn]));
  const handle: RequestHandler = async (request) => {
    const match = router.match(request.method, request.url.pathname);
    if (!match) return undefined;
    if (match.kind === "method-not-allowed") {
      return { status: 405, headers: { allow: match.allowed.join(", ") } };
    }
    const fn = byName.get(match.route.functionName) as AppFunction;
    if (!authorised(request, match.route.authLevel, options.key)) {
      return { status: 401, headers: {} };
    }
    try {
      const result = await options.app.invoke(fn.name, {
        trigger: {
          kind: "http",
          request: {
            method: request.method,
            url: request.url.href,
            headers: definedHeaders(request.headers),
            params: match.params,
            body: request.body.length > 0 ? request.body : undefined,
          },
        },
        inputs: durableClientInputs(fn, () => options.durableClientPayload(request.url.origin)),
      });
      return toHostResponse(result.http);
    } catch (error) {
      options.onError(error, fn.name);
      // As the Functions host: the caller learns only that the function failed.
      return { status: 500, headers: {} };
    }
  };
  return { router, handle };
}

/** The value of every durableClient input of a function; the payload is built once. */
export function durableClientInputs(
  fn: AppFunction,
  payload: () => DurableClientBindingPayload,
): Record<string, unknown> {
  const inputs: Record<string, unknown> = {};
  for (const binding of fn.bindings) {
    if (binding.type === "durableClient") inputs[binding.name] = JSON.stringify(payload());
  }
  return inputs;
}

/** Function keys as the Functions host checks them; anonymous functions need none. */
function authorised(request: HostRequest, authLevel: string | undefined, key: string | undefined): boolean {
  if (!authLevel || authLevel.toLowerCase() === "anonymous") return true;
  return isAuthorized(request, key, request.url.searchParams.get("code") ?? undefined);
}

function definedHeaders(headers: Record<string, string | undefined>): Record<string, string> {
  const defined: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (value !== undefined) defined[name] = value;
  return defined;
}

function toHostResponse(http: HostHttpResponse | undefined): HostResponse {
  // A function that returns nothing answers 204, as the Functions host does.
  if (!http) return { status: 204, headers: {} };
  const headers = { ...http.headers };
  const cookies = (http.cookies ?? []).map((cookie) => `${cookie.name}=${cookie.value}`);
  const response: HostResponse = { status: http.status, headers };
  if (cookies.length > 0) (headers as Record<string, string>)["set-cookie"] = cookies.join(", ");
  if (http.body !== undefined) response.body = http.body;
  return response;
}
