import { ApiError, errorResponse } from "./api-error";
import type { HostRequest } from "./host-http";

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

/**
 * The body as JSON text to store as a payload, or null when there is none. The text is kept as
 * sent (trimmed) rather than re-serialised, so numbers beyond double precision survive.
 */
export function readJsonBody(request: HostRequest): string | null {
  let text: string;
  try {
    text = utf8.decode(request.body).trim();
  } catch (error) {
    throw invalidJson(error);
  }
  if (text === "") return null;
  try {
    JSON.parse(text);
  } catch (error) {
    throw invalidJson(error);
  }
  return text;
}

/** The media type of the request's Content-Type, lower-cased, without parameters. */
export function mediaType(request: HostRequest): string | undefined {
  const value = request.headers["content-type"];
  return value?.split(";")[0].trim().toLowerCase() || undefined;
}

function invalidJson(error: unknown): ApiError {
  return new ApiError(errorResponse(400, "Invalid JSON content", error));
}
