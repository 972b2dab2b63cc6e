import type { RpcHttpCookie, RpcHttpData, RpcNullableString } from "./core-types";
import type { HostHttpCookie, HostHttpRequest, HostHttpResponse } from "./invocation-types";
import { fromTypedData } from "./typed-data";

/**
 * A request as the Functions host sends an HTTP trigger: headers, query and route parameters as
 * nullable-value maps (the worker asks for them with UseNullableValueDictionaryForHttp) and the
 * body as raw bytes (RawHttpBodyBytes).
 */
export function toRpcHttpRequest(request: HostHttpRequest): RpcHttpData {
  return {
    method: request.method,
    url: request.url,
    nullableHeaders: toNullableMap(request.headers),
    // Without a query map the library reads the query from the URL.
    ...(request.query ? { nullableQuery: toNullableMap(request.query) } : {}),
    nullableParams: toNullableMap(request.params ?? {}),
    ...(request.body && request.body.length > 0 ? { body: { bytes: request.body } } : {}),
  };
}

/** The library's RPC form of an HttpResponse (`toRpcHttp`) as the host will write it. */
export function fromRpcHttpResponse(http: RpcHttpData): HostHttpResponse {
  const response: HostHttpResponse = {
    status: http.statusCode ? Number(http.statusCode) : 200,
    headers: { ...(http.headers ?? {}) },
    body: readBody(fromTypedData(http.body)),
  };
  const cookies = (http.cookies ?? []).map(fromRpcCookie);
  if (cookies.length > 0) {
    response.cookies = cookies;
  }
  return response;
}

function toNullableMap(values: Record<string, string>): Record<string, RpcNullableString> {
  const result: Record<string, RpcNullableString> = {};
  for (const [key, value] of Object.entries(values)) {
    result[key] = { value };
  }
  return result;
}

function readBody(body: unknown): Buffer | string | undefined {
  // The library always sends the body as bytes; an empty body and none mean the same on the wire.
  if (Buffer.isBuffer(body) || typeof body === "string") {
    return body.length > 0 ? body : undefined;
  }
  return undefined;
}

function fromRpcCookie(cookie: RpcHttpCookie): HostHttpCookie {
  const result: HostHttpCookie = { name: cookie.name ?? "", value: cookie.value ?? "" };
  if (typeof cookie.domain?.value === "string") result.domain = cookie.domain.value;
  if (typeof cookie.path?.value === "string") result.path = cookie.path.value;
  const seconds = cookie.expires?.value?.seconds;
  if (typeof seconds === "number") result.expires = new Date(seconds * 1000);
  if (typeof cookie.secure?.value === "boolean") result.secure = cookie.secure.value;
  if (typeof cookie.httpOnly?.value === "boolean") result.httpOnly = cookie.httpOnly.value;
  if (typeof cookie.maxAge?.value === "number") result.maxAge = cookie.maxAge.value;
  // "none" is the protobuf default, meaning the app set nothing; an explicit None is its own value.
  const sameSite = { lax: "Lax", strict: "Strict", explicitNone: "None" } as const;
  if (cookie.sameSite && cookie.sameSite !== "none") result.sameSite = sameSite[cookie.sameSite];
  return result;
}
