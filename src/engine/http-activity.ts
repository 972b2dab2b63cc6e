import type { DurableHttpRequestPayload, DurableHttpResponsePayload } from "../protocol/actions";

/**
 * BuiltIn::HttpActivity: the request an orchestrator made with callHttp, run by the host. The
 * response goes back as JSON with headers as name -> value (or values).
 */
export async function runHttpActivity(
  request: DurableHttpRequestPayload,
): Promise<DurableHttpResponsePayload> {
  if (!request || typeof request.uri !== "string") {
    throw new Error("callHttp needs a request with a 'uri'.");
  }
  if (request.tokenSource) {
    throw new Error(
      `callHttp with a managed identity token source ('${request.tokenSource.resource}') is not supported by this host.`,
    );
  }
  const response = await fetch(request.uri, {
    method: request.method || "GET",
    headers: request.headers,
    body: request.content === undefined || request.content === null ? undefined : request.content,
    redirect: "manual",
  });
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else headers[name] = Array.isArray(existing) ? [...existing, value] : [existing, value];
  });
  return { statusCode: response.status, headers, content: await response.text() };
}
