import { ApiError, errorResponse } from "./api-error";
import type { HostRequest } from "./host-http";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });
const lenientUtf8 = new TextDecoder("utf-8", { ignoreBOM: false });

/**
 * The body as JSON text to store as a payload, or null when there is none. The text is kept as
 * sent (trimmed) rather than re-serialised, so numbers beyond double precision survive.
 * `invalid` makes the error for a body that is not JSON; by default the extension's
 * "Invalid JSON content" of the instance routes.
 */
export function readJsonBody(
  request: HostRequest,
  invalid: (error: unknown) => ApiError = invalidJson,
): string | null {
  let text: string;
  try {
    text = utf8.decode(request.body).trim();
  } catch (error) {
    throw invalid(error);
  }
  if (text === "") return null;
  try {
    JSON.parse(text);
  } catch (error) {
    throw invalid(error);
  }
  return text;
}

/** The body as text, as .NET's ReadAsStringAsync reads it: a byte-order mark dropped, nothing trimmed. */
export function readTextBody(request: HostRequest): string {
  return lenientUtf8.decode(request.body);
}

/** The media type of the request's Content-Type, lower-cased, without parameters. */
export function mediaType(request: HostRequest): string | undefined {
  const value = request.headers["content-type"];
  return value?.split(";")[0].trim().toLowerCase() || undefined;
}

function invalidJson(error: unknown): ApiError {
  return new ApiError(errorResponse(400, "Invalid JSON content", error));
}
