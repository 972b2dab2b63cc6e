import { createHash } from "node:crypto";

/**
 * The requests of one batch an entity took off its queue (ran, or granted as a lock): when the
 * batch began, and a digest of each request id.
 */
export interface HandledBatch {
  /** ISO time of the batch. */
  at: string;
  ids: string[];
}

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
 * rewritten with every batch and should stay well inside one table property (about 20 KB at
 * 19 characters an id), so a busy entity does not move its state to a blob for it. An entity
 * taking more requests than this within a redelivery delay may apply a late duplicate again.
 */
export const MAX_HANDLED_REQUESTS = 1000;

/**
 * Ids are kept as a digest: a fixed 16 characters whatever the sender used (other clients may
 * send long ids), and with 96 bits two different requests never meet in practice.
 */
export function requestDigest(requestId: string): string {
  return createHash("sha256").update(requestId, "utf8").digest("base64url").slice(0, 16);
}

/** The requests an entity handled recently, to recognise one that comes again. */
export class HandledRequests {
  private readonly digests: Set<string>;

  constructor(private readonly batches: readonly HandledBatch[] = []) {
    this.digests = new Set(batches.flatMap((batch) => batch.ids));
  }

  /** Reads the stored record, skipping anything that is not of its shape. */
  static from(stored: unknown): HandledRequests {
    if (!Array.isArray(stored)) return new HandledRequests();
    const batches = stored.filter(
      (batch): batch is HandledBatch =>
        typeof batch === "object" &&
        batch !== null &&
        typeof (batch as HandledBatch).at === "string" &&
        Array.isArray((batch as HandledBatch).ids) &&
        (batch as HandledBatch).ids.every((id) => typeof id === "string"),
    );
    return new HandledRequests(batches);
  }

  has(requestId: string): boolean {
    return this.digests.has(requestDigest(requestId));
  }

  /**
   * The record with this batch's requests added, those past the window dropped, and the oldest
   * dropped beyond the count limit.
   */
  withBatch(requestIds: readonly string[], now: Date): HandledBatch[] {
    const horizon = now.getTime() - HANDLED_REQUEST_WINDOW_MS;
    const batches = [...this.batches];
    if (requestIds.length > 0) batches.push({ at: now.toISOString(), ids: requestIds.map(requestDigest) });
    const recent = batches.filter((batch) => Date.parse(batch.at) >= horizon);
    let excess = recent.reduce((count, batch) => count + batch.ids.length, 0) - MAX_HANDLED_REQUESTS;
    while (excess > 0 && recent.length > 0) {
      const oldest = recent[0] as HandledBatch;
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
