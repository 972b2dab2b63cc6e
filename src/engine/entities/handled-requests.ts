import { createHash } from "node:crypto";

/**
 * Requests an entity took off its queue (ran, or granted as a lock) within one minute from
 * `at`: a digest of each id. A group per minute rather than per batch keeps the record to about
 * thirty time stamps however often the entity runs.
 */
export interface HandledGroup {
  /** ISO time of the group's first batch. */
  at: string;
  ids: string[];
}

/** How long a group takes the ids of later batches. */
const GROUP_SPAN_MS = 60_000;

/**
 * How long a handled request is remembered. A request comes again when its queue message
 * outlives the batch that applied it (a crash after the commit, before the delete): it returns
 * once its visibility timeout ends (5 minutes by default), or when a sender whose own commit
 * was lost sends it again on its next try. Thirty minutes covers both with room, and is the
 * reorder window DurableTask.Core's entity message sorter keeps for the same purpose.
 */
export const HANDLED_REQUEST_WINDOW_MS = 30 * 60_000;

/**
 * At most this many are remembered, oldest dropped first, whatever their age: the record is
 * rewritten with every batch and should stay well inside one table property (about 15,000
 * characters at 15 an id), so a busy entity does not move its state to a blob for it. An entity
 * taking more requests than this within a redelivery delay may apply a late duplicate again.
 */
export const MAX_HANDLED_REQUESTS = 1000;

/**
 * Ids are kept as a digest: a fixed 12 characters whatever the sender used (other clients may
 * send long ids), and at 72 bits two different requests do not meet in practice.
 */
export function requestDigest(requestId: string): string {
  return createHash("sha256").update(requestId, "utf8").digest("base64url").slice(0, 12);
}

/** The requests an entity handled recently, to recognise one that comes again. */
export class HandledRequests {
  private readonly digests: Set<string>;

  constructor(private readonly groups: readonly HandledGroup[] = []) {
    this.digests = new Set(groups.flatMap((group) => group.ids));
  }

  /** Reads the stored record, skipping anything that is not of its shape. */
  static from(stored: unknown): HandledRequests {
    if (!Array.isArray(stored)) return new HandledRequests();
    const groups = stored.filter(
      (group): group is HandledGroup =>
        typeof group === "object" &&
        group !== null &&
        typeof (group as HandledGroup).at === "string" &&
        Array.isArray((group as HandledGroup).ids) &&
        (group as HandledGroup).ids.every((id) => typeof id === "string"),
    );
    return new HandledRequests(groups);
  }

  has(requestId: string): boolean {
    return this.digests.has(requestDigest(requestId));
  }

  /**
   * The record with this batch's requests added, the groups past the window dropped, and the
   * oldest ids dropped beyond the count limit.
   */
  withBatch(requestIds: readonly string[], now: Date): HandledGroup[] {
    const nowMs = now.getTime();
    const groups = [...this.groups];
    const digests = requestIds.map(requestDigest);
    const last = groups.at(-1);
    if (last && nowMs - Date.parse(last.at) < GROUP_SPAN_MS) {
      groups[groups.length - 1] = { at: last.at, ids: [...last.ids, ...digests] };
    } else if (digests.length > 0) {
      groups.push({ at: now.toISOString(), ids: digests });
    }
    // A group goes once its newest id, up to a span after `at`, is past the window.
    const recent = groups.filter(
      (group) => Date.parse(group.at) + GROUP_SPAN_MS >= nowMs - HANDLED_REQUEST_WINDOW_MS,
    );
    let excess = recent.reduce((count, group) => count + group.ids.length, 0) - MAX_HANDLED_REQUESTS;
    while (excess > 0 && recent.length > 0) {
      const oldest = recent[0] as HandledGroup;
      if (oldest.ids.length <= excess) {
        recent.shift();
        excess -= oldest.ids.length;
      } else {
        recent[0] = { at: oldest.at, ids: oldest.ids.slice(excess) };
        excess = 0;
      }
    }
    return recent;
  }
}
