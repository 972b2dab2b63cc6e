import { PermanentFailure, isPermanentFailure } from "../failures";

/**
 * 4xx answers that are races or passing conditions, not a refusal of the request itself:
 * not found (a queue or row being recreated), timeouts, conflicts and failed preconditions
 * (another writer got there first), and throttling.
 */
const TRANSIENT_CLIENT_ERRORS = new Set([404, 408, 409, 412, 429]);

/**
 * Tells the engine which storage failures are permanent: the service refused the request as
 * such (400 for a value it cannot hold, 413 for a body too large...), so the same request would
 * be refused again. Everything else (5xx, timeouts, dropped connections, races) may pass.
 */
export function classifyStorageFailure(error: unknown): unknown {
  if (isPermanentFailure(error)) return error;
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status !== "number" || status < 400 || status >= 500 || TRANSIENT_CLIENT_ERRORS.has(status)) {
    return error;
  }
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  const detail = typeof code === "string" && code !== "" ? `${code}, HTTP ${status}` : `HTTP ${status}`;
  return new PermanentFailure(`Azure Storage refused the request (${detail}): ${message}`, { cause: error });
}
