import type { ErrorBody } from "../../protocol/status";
import { jsonResponse, type HostResponse } from "./host-http";

/** The extension's message for an ArgumentException that reaches its handler-wide catch. */
export const BAD_ARGUMENTS_MESSAGE = "One or more of the arguments submitted is incorrect";
/** The extension's message for any other exception that reaches its handler-wide catch. */
export const SERVER_ERROR_MESSAGE = "Something went wrong while processing your request";

/**
 * A request that cannot be served, with the response to send. Thrown from deep inside a route
 * (query parsing, body reading) so each route reads as its success path.
 */
export class ApiError extends Error {
  constructor(readonly response: HostResponse) {
    super(`HTTP ${response.status}`);
    this.name = "ApiError";
  }
}

/** `{"Message": ...}`, plus what the error says when there is one (never its stack). */
export function errorResponse(status: number, message: string, error?: unknown): HostResponse {
  const body: ErrorBody = { Message: message };
  if (error instanceof Error) {
    body.ExceptionMessage = error.message;
    body.ExceptionType = error.name;
  }
  return jsonResponse(status, body);
}

export function badRequest(message: string, error?: unknown): ApiError {
  return new ApiError(errorResponse(400, message, error));
}
