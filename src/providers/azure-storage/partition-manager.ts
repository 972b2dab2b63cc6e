import type { TableClient } from "@azure/data-tables";

/** Why a worker stops dequeuing a control queue. */
export type PartitionReleaseReason = "stolen" | "lost" | "shutdown";

export interface PartitionManagerOptions {
  /** The `{Hub}Partitions` table. */
  table: TableClient;
  /** Control-queue names, e.g. `myhub-control-00`..`myhub-control-03`; one lease row each. */
  partitionNames: readonly string[];
  /** Unique per process/worker. */
  workerId: string;
  /** How long a claim or renewal holds a partition. Default 30 s. */
  leaseIntervalMs?: number;
  /** Renewals happen at least this often. Default 10 s; must be below the lease interval. */
  renewIntervalMs?: number;
  /** How often the loop runs when nothing is moving. Default 10 s. */
  acquireIntervalMs?: number;
  /** Upper bound on one `onReleased` drain before the row is released anyway. Default 60 s. */
  drainTimeoutMs?: number;
  /** Upper bound on `stop()`; rows still held then are left to expire. Default 10 min. */
  shutdownTimeoutMs?: number;
  /** Upper bound on one read-and-write cycle against the table. Default 2 s. */
  operationTimeoutMs?: number;
  /** Called when this worker starts owning a partition: start dequeuing it. */
  onAcquired(partition: string): void;
  /**
   * Called when this worker must stop dequeuing a partition. Resolve once no in-flight work of
   * that partition remains; the row is released only after that (or after the drain timeout).
   * For "lost" another worker already holds the row, so nothing is written afterwards.
   */
  onReleased(partition: string, reason: PartitionReleaseReason): Promise<void>;
  onError?(error: unknown): void;
}

/**
 * One row of `{Hub}Partitions`, with the column names and types of DurableTask.AzureStorage's
 * `TablePartitionLease`, so .NET and TypeScript workers can share a task hub.
 */
export interface PartitionLeaseEntity {
  partitionKey: string;
  rowKey: string;
  CurrentOwner?: string;
  NextOwner?: string;
  OwnedSince?: Date;
  LastRenewal?: Date;
  ExpiresAt?: Date;
  IsDraining?: boolean;
}

/** The .NET manager keys every row under the empty partition key. */
const LEASE_PARTITION_KEY = "";

const DEFAULT_LEASE_INTERVAL_MS = 30_000;
const DEFAULT_RENEW_INTERVAL_MS = 10_000;
const DEFAULT_ACQUIRE_INTERVAL_MS = 10_000;
const DEFAULT_DRAIN_TIMEOUT_MS = 60_000;
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 600_000;
const DEFAULT_OPERATION_TIMEOUT_MS = 2_000;
/** Consecutive timed-out cycles after which the slowness is reported as an error. */
const REPORTED_TIMEOUT_RUN = 3;
/** The reference polls every second while a hand-over is under way. */
const BUSY_INTERVAL_MS = 1_000;
/** After this many back-to-back ETag conflicts the loop falls back to its normal pace. */
const MAX_IMMEDIATE_RETRIES = 10;

interface LeaseFields {
  currentOwner: string | undefined;
  nextOwner: string | undefined;
  ownedSince: Date | undefined;
  lastRenewal: Date | undefined;
  expiresAt: Date | undefined;
  isDraining: boolean;
}

interface LeaseRow extends LeaseFields {
  readonly name: string;
  /** Undefined once a write returned no ETag: the row cannot be written again this cycle. */
  etag: string | undefined;
}

/** A partition this worker has claimed and not yet given back. */
interface HeldPartition {
  phase: "active" | "draining" | "drained";
  /** The ExpiresAt of our last successful write; past it another worker may claim the row. */
  leaseExpiresAt: number;
}

/** A row another worker owns and nobody is stealing yet. */
type StolenRow = LeaseRow & { currentOwner: string; nextOwner: undefined };

interface Cycle {
  now: number;
  signal: AbortSignal;
  conflict: boolean;
}

/**
 * The table partition manager of DurableTask.AzureStorage (V3): decides which control queues
 * this worker dequeues. Rows are claimed when free, expired or released to us; balanced by
 * marking a busier worker's row with `NextOwner`; and handed over only after the owner has
 * drained its in-flight work, so two workers never process one queue at the same time.
 */
export class TablePartitionManager {
  private readonly table: TableClient;
  private readonly partitionNames: ReadonlySet<string>;
  private readonly workerId: string;
  private readonly leaseIntervalMs: number;
  private readonly renewIntervalMs: number;
  private readonly acquireIntervalMs: number;
  private readonly busyIntervalMs: number;
  private readonly drainTimeoutMs: number;
  private readonly shutdownTimeoutMs: number;
  private readonly operationTimeoutMs: number;
  private cycleSignal: AbortSignal | undefined;
  private cycleTimedOut = false;
  private timedOutCycles = 0;

  private readonly held = new Map<string, HeldPartition>();
  private readonly ownershipWaiters = new Set<(owns: boolean) => void>();
  /** Aborted by `kill()`, so requests of a "crashed" worker do not land afterwards. */
  private readonly lifetime = new AbortController();
  private started = false;
  private stopping = false;
  private finished = false;
  private killed = false;
  private cycleRunning = false;
  private wakeRequested = false;
  private immediateRetries = 0;
  private awaitingRelease = false;
  private shutdownDeadline = 0;
  private timer: NodeJS.Timeout | undefined;
  private stopped: Promise<void> | undefined;
  private resolveStopped: (() => void) | undefined;

  constructor(private readonly options: PartitionManagerOptions) {
    this.table = options.table;
    this.partitionNames = new Set(options.partitionNames);
    this.workerId = options.workerId;
    this.leaseIntervalMs = options.leaseIntervalMs ?? DEFAULT_LEASE_INTERVAL_MS;
    this.renewIntervalMs = options.renewIntervalMs ?? DEFAULT_RENEW_INTERVAL_MS;
    this.acquireIntervalMs = options.acquireIntervalMs ?? DEFAULT_ACQUIRE_INTERVAL_MS;
    this.busyIntervalMs = Math.min(BUSY_INTERVAL_MS, this.acquireIntervalMs);
    this.drainTimeoutMs = options.drainTimeoutMs ?? DEFAULT_DRAIN_TIMEOUT_MS;
    this.shutdownTimeoutMs = options.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
    this.operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
    if (!this.workerId) throw new RangeError("workerId must not be empty.");
    if (this.partitionNames.size === 0) throw new RangeError("partitionNames must not be empty.");
    if (this.renewIntervalMs >= this.leaseIntervalMs) {
      // A lease that lapses between two renewals would be claimed by others while still in use.
      throw new RangeError("renewIntervalMs must be shorter than leaseIntervalMs.");
    }
  }

  /** Creates the table and one row per partition if missing (idempotent, races between processes are fine). */
  async createLeases(): Promise<void> {
    // The SDK already treats TableAlreadyExists as success.
    await this.table.createTable();
    await Promise.all(
      [...this.partitionNames].map(async (name) => {
        const entity: PartitionLeaseEntity = {
          partitionKey: LEASE_PARTITION_KEY,
          rowKey: name,
          IsDraining: false,
        };
        try {
          await this.table.createEntity(entity);
        } catch (error) {
          if (statusCodeOf(error) !== 409) throw error;
        }
      }),
    );
  }

  /** Starts the loop; resolves after the first cycle, so free partitions are claimed by then. */
  async start(): Promise<void> {
    if (this.started) return;
    this.started = true;
    await this.runLoop();
  }

  /** Graceful: drains (onReleased "shutdown") and releases every owned row, then stops the loop. */
  stop(): Promise<void> {
    if (!this.started || this.finished) return Promise.resolve();
    if (!this.stopped) {
      this.stopped = new Promise((resolve) => (this.resolveStopped = resolve));
      this.stopping = true;
      this.shutdownDeadline = Date.now() + this.shutdownTimeoutMs;
      for (const [name, held] of this.held) {
        if (held.phase === "active") this.beginDrain(name, held, "shutdown");
      }
      this.wake();
    }
    return this.stopped;
  }

  /**
   * Test-only: simulates a crash. Stops the loop at once and writes nothing more; no callback
   * runs. The rows stay with this worker until their leases expire, as after a real crash.
   */
  kill(): void {
    if (this.killed) return;
    this.killed = true;
    this.lifetime.abort();
    this.finish();
  }

  /** The partitions this worker dequeues or is still draining. */
  ownedPartitions(): ReadonlySet<string> {
    const owned = new Set<string>();
    for (const [name, held] of this.held) if (held.phase !== "drained") owned.add(name);
    return owned;
  }

  /**
   * Resolves true when this worker owns at least one partition, false when `signal` aborts or the
   * manager stops first; handy for tests and startup.
   */
  whenOwningAny(signal?: AbortSignal): Promise<boolean> {
    if (this.ownedPartitions().size > 0) return Promise.resolve(true);
    if (this.finished || signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve) => {
      const settle = (owns: boolean): void => {
        this.ownershipWaiters.delete(settle);
        signal?.removeEventListener("abort", onAbort);
        resolve(owns);
      };
      const onAbort = (): void => settle(false);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.ownershipWaiters.add(settle);
    });
  }

  // ---- loop ----

  private async runLoop(): Promise<void> {
    this.timer = undefined;
    if (this.finished) return;
    this.cycleRunning = true;
    this.wakeRequested = false;
    let conflict = false;
    try {
      conflict = await this.runCycle();
    } catch (error) {
      this.report(error);
    } finally {
      this.cycleRunning = false;
    }
    this.noteCycleTimeout();
    if (this.finished) return;
    if (this.stopping && (this.held.size === 0 || Date.now() >= this.shutdownDeadline)) {
      this.finish();
      return;
    }
    this.immediateRetries = conflict ? this.immediateRetries + 1 : 0;
    // The reference re-reads at once after a 412: the row most likely changed hands.
    if (this.wakeRequested || (conflict && this.immediateRetries <= MAX_IMMEDIATE_RETRIES)) {
      this.schedule(0);
      return;
    }
    const handingOver =
      this.stopping || this.awaitingRelease || [...this.held.values()].some((h) => h.phase !== "active");
    let delay = handingOver ? this.busyIntervalMs : this.acquireIntervalMs;
    // Renewals ride on the loop, so it must come round at least once per renew interval.
    if (this.held.size > 0) delay = Math.min(delay, this.renewIntervalMs);
    this.schedule(delay);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.runLoop(), delayMs);
    // Idle polling must not keep a process alive, but a shutdown in progress must finish.
    if (!this.stopping) this.timer.unref();
  }

  /** Runs the next cycle as soon as possible (a drain finished, or stop() was called). */
  private wake(): void {
    if (!this.started || this.finished) return;
    if (this.cycleRunning) {
      this.wakeRequested = true;
      return;
    }
    clearTimeout(this.timer);
    this.schedule(0);
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.held.clear();
    for (const settle of [...this.ownershipWaiters]) settle(false);
    this.resolveStopped?.();
  }

  /** One pass over the table; returns whether some write hit a stale ETag or a vanished row. */
  private async runCycle(): Promise<boolean> {
    this.fenceExpiredLeases(Date.now());
    const signal = AbortSignal.any([this.lifetime.signal, AbortSignal.timeout(this.operationTimeoutMs)]);
    this.cycleSignal = signal;
    const rows = await this.readLeases(signal);
    if (rows === undefined || this.killed) return false;
    const cycle: Cycle = { now: Date.now(), signal, conflict: false };

    this.dropLostPartitions(rows);
    const all = [...rows.values()];
    await Promise.all(
      all.filter((row) => row.currentOwner === this.workerId).map((row) => this.tend(row, cycle)),
    );
    if (!this.stopping && !this.killed) {
      await Promise.all(
        all.filter((row) => this.isClaimable(row, cycle.now)).map((row) => this.claim(row, cycle)),
      );
      if (!this.stopping && !this.killed) await this.steal(all, cycle);
    }
    this.awaitingRelease = all.some(
      (row) => row.nextOwner === this.workerId && row.currentOwner !== this.workerId,
    );
    return cycle.conflict;
  }

  private async readLeases(signal: AbortSignal): Promise<Map<string, LeaseRow> | undefined> {
    const rows = new Map<string, LeaseRow>();
    try {
      const entities = this.table.listEntities<PartitionLeaseEntity>({
        queryOptions: { filter: `PartitionKey eq '${LEASE_PARTITION_KEY}'` },
        abortSignal: signal,
      });
      for await (const entity of entities) {
        if (this.partitionNames.has(entity.rowKey)) rows.set(entity.rowKey, toLeaseRow(entity));
      }
    } catch (error) {
      // A missing table (hub being deleted or not created yet) is retried quietly next cycle.
      if (statusCodeOf(error) !== 404) this.report(error);
      return undefined;
    }
    return rows;
  }

  // ---- decisions ----

  /**
   * Stops dequeuing partitions whose lease, as we last wrote it, has run out: from that instant
   * another worker may claim the row, and we could not confirm it is still ours.
   */
  private fenceExpiredLeases(now: number): void {
    for (const [name, held] of this.held) {
      if (held.leaseExpiresAt > now) continue;
      this.held.delete(name);
      if (held.phase === "active") this.notifyReleased(name, "lost");
    }
  }

  /** A row names another owner (or is gone) while we still hold the partition: drop it unwritten. */
  private dropLostPartitions(rows: ReadonlyMap<string, LeaseRow>): void {
    for (const [name, held] of this.held) {
      if (rows.get(name)?.currentOwner === this.workerId) continue;
      this.held.delete(name);
      // A draining partition was already told to stop; a drained one was released by us.
      if (held.phase === "active") this.notifyReleased(name, "lost");
    }
  }

  /** Renews, drains or releases a row that names this worker as its owner. */
  private async tend(row: LeaseRow, cycle: Cycle): Promise<void> {
    const held = this.held.get(row.name);
    if (held === undefined) {
      // The row is ours but nothing runs on it (a restart with the same id, or a fenced lease):
      // there is nothing to drain, so give it up at once or take it up again.
      if (this.stopping || row.nextOwner !== undefined) await this.write(row, released(row), cycle);
      else await this.claim(row, cycle);
      return;
    }
    if (held.phase === "active" && (this.stopping || row.nextOwner !== undefined)) {
      this.beginDrain(row.name, held, this.stopping ? "shutdown" : "stolen");
    }
    if (held.phase === "drained") {
      // NextOwner stays as it is, so the worker that asked for the row claims it next.
      if ((await this.write(row, released(row), cycle)) && this.held.get(row.name) === held) {
        this.held.delete(row.name);
      }
      return;
    }
    const expiresAt = cycle.now + this.leaseIntervalMs;
    const renewed: LeaseFields = {
      ...fieldsOf(row),
      lastRenewal: new Date(cycle.now),
      expiresAt: new Date(expiresAt),
      // Other workers read IsDraining without NextOwner as "shutting down, free to take".
      isDraining: held.phase === "draining",
    };
    if ((await this.write(row, renewed, cycle)) && this.held.get(row.name) === held) {
      held.leaseExpiresAt = expiresAt;
    }
  }

  private isClaimable(row: LeaseRow, now: number): boolean {
    if (row.currentOwner === this.workerId) return false;
    if (row.currentOwner === undefined && (row.nextOwner === undefined || row.nextOwner === this.workerId)) {
      return true;
    }
    return isExpired(row, now);
  }

  private async claim(row: LeaseRow, cycle: Cycle): Promise<void> {
    // The reference hard-codes one minute on claim; the lease interval is used instead so that
    // short test leases expire on claimed rows too, and a crash is detected just as fast.
    const expiresAt = cycle.now + this.leaseIntervalMs;
    const claimed: LeaseFields = {
      currentOwner: this.workerId,
      nextOwner: undefined,
      ownedSince: new Date(cycle.now),
      lastRenewal: new Date(cycle.now),
      expiresAt: new Date(expiresAt),
      isDraining: false,
    };
    if (!(await this.write(row, claimed, cycle)) || this.finished) return;
    this.held.set(row.name, { phase: "active", leaseExpiresAt: expiresAt });
    try {
      this.options.onAcquired(row.name);
    } catch (error) {
      this.report(error);
    }
    for (const settle of [...this.ownershipWaiters]) settle(true);
  }

  /**
   * Marks rows of other workers with `NextOwner = me`: rows of a worker shutting down, then rows
   * of workers above the average, until this worker reaches the average (plus one when some
   * worker is more than one above it). Each worker thus ends with floor or ceil of P/W.
   */
  private async steal(rows: readonly LeaseRow[], cycle: Cycle): Promise<void> {
    const me = this.workerId;
    const live = rows.filter((row) => !isExpired(row, cycle.now));
    const counts = new Map<string, number>();
    const countOf = (worker: string): number => counts.get(worker) ?? 0;
    const others = new Set<string>();
    for (const row of live) {
      for (const worker of [row.currentOwner, row.nextOwner]) {
        if (worker !== undefined && worker !== me) others.add(worker);
      }
      // Rows on their way to a worker count as that worker's already.
      const effective = row.nextOwner ?? row.currentOwner;
      if (effective !== undefined) counts.set(effective, countOf(effective) + 1);
    }

    const picks: StolenRow[] = [];
    const take = (row: StolenRow): void => {
      picks.push(row);
      counts.set(row.currentOwner, countOf(row.currentOwner) - 1);
      counts.set(me, countOf(me) + 1);
    };
    const othersRow = (row: LeaseRow): row is StolenRow =>
      row.currentOwner !== undefined && row.currentOwner !== me && row.nextOwner === undefined;

    // Draining with nobody named to take over means the owner is shutting down.
    for (const row of live) {
      if (othersRow(row) && row.isDraining) take(row);
    }

    const average = Math.floor(rows.length / (others.size + 1));
    /** A row of the busiest worker that holds more than `threshold` rows. */
    const pick = (threshold: number): StolenRow | undefined => {
      let best: StolenRow | undefined;
      for (const row of live) {
        if (!othersRow(row) || row.isDraining || picks.includes(row)) continue;
        const count = countOf(row.currentOwner);
        if (count > threshold && (best === undefined || count > countOf(best.currentOwner))) best = row;
      }
      return best;
    };
    if (countOf(me) <= average) {
      while (countOf(me) < average) {
        const row = pick(average);
        if (row === undefined) break;
        take(row);
      }
      const extra = pick(average + 1);
      if (extra) take(extra);
    }
    await Promise.all(picks.map((row) => this.write(row, { ...fieldsOf(row), nextOwner: me }, cycle)));
  }

  // ---- drains ----

  private beginDrain(name: string, held: HeldPartition, reason: "stolen" | "shutdown"): void {
    held.phase = "draining";
    void this.drain(name, reason).then(() => {
      if (this.held.get(name) !== held || held.phase !== "draining") return;
      held.phase = "drained";
      this.wake();
    });
  }

  private async drain(name: string, reason: "stolen" | "shutdown"): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    // A drain that never ends must not pin the partition forever: release it after the timeout.
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.drainTimeoutMs);
      timer.unref();
    });
    try {
      await Promise.race([Promise.resolve().then(() => this.options.onReleased(name, reason)), timeout]);
    } catch (error) {
      this.report(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /** For a lost lease nothing is written afterwards, so the drain is not awaited. */
  private notifyReleased(name: string, reason: PartitionReleaseReason): void {
    Promise.resolve()
      .then(() => this.options.onReleased(name, reason))
      .catch((error: unknown) => this.report(error));
  }

  // ---- table access ----

  /**
   * Replaces the row if its ETag still matches. Returns false without reporting when another
   * worker got there first (412) or the row is gone (404): the next cycle re-reads.
   */
  private async write(row: LeaseRow, fields: LeaseFields, cycle: Cycle): Promise<boolean> {
    if (row.etag === undefined || this.killed) return false;
    try {
      const result = await this.table.updateEntity(toEntity(row.name, fields), "Replace", {
        etag: row.etag,
        abortSignal: cycle.signal,
      });
      Object.assign(row, fields);
      row.etag = result.etag;
      return true;
    } catch (error) {
      const status = statusCodeOf(error);
      if (status === 412 || status === 404) cycle.conflict = true;
      else this.report(error);
      return false;
    }
  }

  private report(error: unknown): void {
    // Requests aborted by kill() are the point of a simulated crash, not failures.
    if (this.killed) return;
    // A cycle that ran out of time is tried again by the next one; only a run of them is news.
    const aborted = (error as { name?: string } | undefined)?.name === "AbortError";
    if (aborted && this.cycleSignal?.aborted && !this.lifetime.signal.aborted) {
      this.cycleTimedOut = true;
      return;
    }
    this.options.onError?.(error);
  }

  private noteCycleTimeout(): void {
    this.timedOutCycles = this.cycleTimedOut ? this.timedOutCycles + 1 : 0;
    this.cycleTimedOut = false;
    if (this.timedOutCycles === REPORTED_TIMEOUT_RUN) {
      this.options.onError?.(
        new Error(
          `${REPORTED_TIMEOUT_RUN} lease cycles in a row took longer than ${this.operationTimeoutMs} ms: the table is slow or unreachable.`,
        ),
      );
    }
  }
}

function fieldsOf(row: LeaseRow): LeaseFields {
  return {
    currentOwner: row.currentOwner,
    nextOwner: row.nextOwner,
    ownedSince: row.ownedSince,
    lastRenewal: row.lastRenewal,
    expiresAt: row.expiresAt,
    isDraining: row.isDraining,
  };
}

function released(row: LeaseRow): LeaseFields {
  return { ...fieldsOf(row), currentOwner: undefined, isDraining: false };
}

/** A row without ExpiresAt counts as expired, so a malformed row cannot stay locked forever. */
function isExpired(row: LeaseRow, now: number): boolean {
  return row.expiresAt === undefined || now >= row.expiresAt.getTime();
}

function toLeaseRow(entity: PartitionLeaseEntity & { etag: string }): LeaseRow {
  return {
    name: entity.rowKey,
    etag: entity.etag,
    currentOwner: entity.CurrentOwner || undefined,
    nextOwner: entity.NextOwner || undefined,
    ownedSince: toDate(entity.OwnedSince),
    lastRenewal: toDate(entity.LastRenewal),
    expiresAt: toDate(entity.ExpiresAt),
    isDraining: entity.IsDraining === true,
  };
}

/** Null columns are left out: the Table service stores no nulls, and .NET reads absence as null. */
function toEntity(name: string, fields: LeaseFields): PartitionLeaseEntity {
  const entity: PartitionLeaseEntity = {
    partitionKey: LEASE_PARTITION_KEY,
    rowKey: name,
    IsDraining: fields.isDraining,
  };
  if (fields.currentOwner !== undefined) entity.CurrentOwner = fields.currentOwner;
  if (fields.nextOwner !== undefined) entity.NextOwner = fields.nextOwner;
  if (fields.ownedSince !== undefined) entity.OwnedSince = fields.ownedSince;
  if (fields.lastRenewal !== undefined) entity.LastRenewal = fields.lastRenewal;
  if (fields.expiresAt !== undefined) entity.ExpiresAt = fields.expiresAt;
  return entity;
}

/** The SDK types DateTime columns as Date, but a row written by hand may carry a string. */
function toDate(value: unknown): Date | undefined {
  if (value instanceof Date) return value;
  if (typeof value === "string") {
    const date = new Date(value);
    return Number.isNaN(date.getTime()) ? undefined : date;
  }
  return undefined;
}

function statusCodeOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === "number" ? status : undefined;
}
