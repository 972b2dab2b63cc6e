import { CONTINUATION_TOKEN_HEADER } from "../../protocol/status";
import type { HostRequest } from "./host-http";

/** The extension's default page size (OrchestrationStatusQueryCondition and EntityQuery). */
export const DEFAULT_PAGE_SIZE = 100;
/** The most a `top` may ask for: a table query page holds at most 1,000 rows. */
export const MAX_PAGE_SIZE = 1000;

/** The token of the page asked for, from the `x-ms-continuation-token` request header. */
export function requestedContinuationToken(request: HostRequest): string | undefined {
  return request.headers[CONTINUATION_TOKEN_HEADER] || undefined;
}

/**
 * The `x-ms-continuation-token` response header for the next page, left off on the last page:
 * the JS client follows any non-empty one.
 */
export function continuationHeaders(nextToken: string | undefined): Record<string, string> {
  return nextToken ? { [CONTINUATION_TOKEN_HEADER]: nextToken } : {};
}
