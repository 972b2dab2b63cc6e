/** The kinds of work item the worker runs. */
export type WorkKind = "orchestration" | "entity" | "activity";

const WORK_KINDS: readonly WorkKind[] = ["orchestration", "entity", "activity"];
const WINDOW_MS = 60_000;
const BUCKET_MS = 1_000;

export interface WorkProgressSnapshot {
  /** Work items finished (committed) in the last minute, by kind. */
  completedLastMinute: Record<WorkKind, number>;
  /** Work items that failed and were given back in the last minute, by kind. */
  failedLastMinute: Record<WorkKind, number>;
  /** When a work item last finished, ISO; null before the first. */
  lastCompletedTime: string | null;
  /** Instances whose latest work item failed, oldest failure first (at most 100). */
  failingInstances: FailingWork[];
}

export interface FailingWork {
  instanceId: string;
  kind: WorkKind;
  failures: number;
  since: string;
  /** The last failure's error, when the worker keeps it (orchestrations and entities). */
  lastError?: string;
}

/**
 * Counts finished and failed work items over a sliding minute, so a host that answers HTTP but
 * does no durable work can be seen from outside. Per-second buckets keep it small and O(1).
 */
export class WorkProgress {
  private readonly buckets = new Map<number, { completed: number[]; failed: number[] }>();
  private lastCompletedMs: number | undefined;
  private readonly failing = new Map<string, { kind: WorkKind; failures: number; sinceMs: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  completed(kind: WorkKind, instanceId: string): void {
    const nowMs = this.now();
    this.bucket(nowMs).completed[WORK_KINDS.indexOf(kind)]++;
    this.lastCompletedMs = nowMs;
    this.failing.delete(instanceId);
  }

  failed(kind: WorkKind, instanceId: string): void {
    const nowMs = this.now();
    this.bucket(nowMs).failed[WORK_KINDS.indexOf(kind)]++;
    const known = this.failing.get(instanceId);
    if (known) known.failures++;
    // Bounded: a storm of distinct failing ids must not grow this without end.
    else if (this.failing.size < 1000) this.failing.set(instanceId, { kind, failures: 1, sinceMs: nowMs });
  }

  snapshot(): WorkProgressSnapshot {
    const nowMs = this.now();
    this.trim(nowMs);
    const completed = [0, 0, 0];
    const failed = [0, 0, 0];
    for (const bucket of this.buckets.values()) {
      for (let i = 0; i < WORK_KINDS.length; i++) {
        completed[i] += bucket.completed[i];
        failed[i] += bucket.failed[i];
      }
    }
    return {
      completedLastMinute: byKind(completed),
      failedLastMinute: byKind(failed),
      lastCompletedTime:
        this.lastCompletedMs === undefined ? null : new Date(this.lastCompletedMs).toISOString(),
      failingInstances: [...this.failing]
        .sort(([, a], [, b]) => a.sinceMs - b.sinceMs)
        .slice(0, 100)
        .map(([instanceId, { kind, failures, sinceMs }]) => ({
          instanceId,
          kind,
          failures,
          since: new Date(sinceMs).toISOString(),
        })),
    };
  }

  private bucket(nowMs: number): { completed: number[]; failed: number[] } {
    const key = Math.floor(nowMs / BUCKET_MS);
    let bucket = this.buckets.get(key);
    if (!bucket) {
      this.trim(nowMs);
      bucket = { completed: [0, 0, 0], failed: [0, 0, 0] };
      this.buckets.set(key, bucket);
    }
    return bucket;
  }

  private trim(nowMs: number): void {
    const oldest = Math.floor((nowMs - WINDOW_MS) / BUCKET_MS);
    for (const key of this.buckets.keys()) if (key <= oldest) this.buckets.delete(key);
  }
}

function byKind(counts: number[]): Record<WorkKind, number> {
  return { orchestration: counts[0], entity: counts[1], activity: counts[2] };
}
