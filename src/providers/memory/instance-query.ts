import type { InstanceQuery, InstanceQueryPage, InstanceState } from "../task-hub";

/** Where a page ended: the sort key of its last instance. */
interface PageCursor {
  createdMs: number;
  instanceId: string;
}

/**
 * Filters and pages status rows in a stable order (createdTime, then instanceId). The
 * continuation token names the last row returned rather than an offset, so instances created
 * between two pages neither repeat nor shift rows out of the listing.
 */
export function queryInstanceStates(
  states: Iterable<InstanceState>,
  query: InstanceQuery,
): InstanceQueryPage {
  const { pageSize } = query;
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1)) {
    throw new RangeError(`pageSize must be a positive integer, not ${pageSize}.`);
  }
  const matches = matcher(query);
  const after = query.continuationToken === undefined ? undefined : decodeToken(query.continuationToken);
  const sorted = [...states]
    .filter(matches)
    .map((state) => ({ state, key: { createdMs: createdMs(state), instanceId: state.instanceId } }))
    .filter(({ key }) => after === undefined || compareCursors(key, after) > 0)
    .sort((a, b) => compareCursors(a.key, b.key));

  if (pageSize === undefined || sorted.length <= pageSize) {
    return { instances: sorted.map(({ state }) => state) };
  }
  const page = sorted.slice(0, pageSize);
  return {
    instances: page.map(({ state }) => state),
    continuationToken: encodeToken(page[page.length - 1].key),
  };
}

function matcher(query: InstanceQuery): (state: InstanceState) => boolean {
  const statuses =
    query.runtimeStatus && query.runtimeStatus.length > 0 ? new Set(query.runtimeStatus) : undefined;
  const fromMs = query.createdTimeFrom === undefined ? undefined : parseTime(query.createdTimeFrom);
  const toMs = query.createdTimeTo === undefined ? undefined : parseTime(query.createdTimeTo);
  return (state) => {
    if (!query.includeEntities && state.instanceId.startsWith("@")) return false;
    if (query.instanceIdPrefix !== undefined && !state.instanceId.startsWith(query.instanceIdPrefix))
      return false;
    if (statuses && !statuses.has(state.runtimeStatus)) return false;
    const created = createdMs(state);
    if (fromMs !== undefined && created < fromMs) return false;
    if (toMs !== undefined && created > toMs) return false;
    return true;
  };
}

/** A row with an unreadable time sorts first instead of breaking the sort. */
function createdMs(state: InstanceState): number {
  return Date.parse(state.createdTime) || 0;
}

function compareCursors(a: PageCursor, b: PageCursor): number {
  if (a.createdMs !== b.createdMs) return a.createdMs - b.createdMs;
  return a.instanceId < b.instanceId ? -1 : a.instanceId > b.instanceId ? 1 : 0;
}

function parseTime(iso: string): number {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`Invalid time in instance query: '${iso}'.`);
  return ms;
}

function encodeToken(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdMs, cursor.instanceId]), "utf8").toString("base64url");
}

function decodeToken(token: string): PageCursor {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(parsed) && typeof parsed[0] === "number" && typeof parsed[1] === "string") {
      return { createdMs: parsed[0], instanceId: parsed[1] };
    }
  } catch {
    // Reported below, like any other token this provider did not issue.
  }
  throw new RangeError(`Invalid continuation token: '${token}'.`);
}
