import { isPermanentFailure } from "../providers/failures";

export interface WorkItemFailureSettings {
  /** Attempts at one instance's work before it fails (host.json poisonMessageThreshold). */
  maxAttempts: number;
  /** The first retry's delay; each later one doubles, up to `maxRetryDelayMs`. */
  firstRetryDelayMs: number;
  maxRetryDelayMs: number;
}

export const defaultWorkItemFailureSettings: WorkItemFailureSettings = {
  maxAttempts: 20,
  firstRetryDelayMs: 1000,
  maxRetryDelayMs: 60_000,
};

/** An instance whose work keeps failing, as the health route and the give-up reason show it. */
export interface FailingInstance {
  instanceId: string;
  attempts: number;
  lastError: string;
  /** ISO time of the first failure in the current run of failures. */
  failingSince: string;
  permanent: boolean;
  /** Set once failing the instance was tried and could not be written either. */
  gaveUp: boolean;
}

/** Failures remembered at once; the oldest are forgotten first (a retry then starts counting anew). */
const MAX_REMEMBERED = 10_000;

/**
 * Counts failed attempts per instance in this process, whoever delivered the messages (a queue,
 * this process's own claimed sends, or a local activity result), and decides between another
 * try and giving up. A success forgets the instance's count.
 */
export class WorkItemFailures {
  private readonly failing = new Map<string, FailingInstance>();

  constructor(
    private readonly settings: WorkItemFailureSettings = defaultWorkItemFailureSettings,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Records a failed attempt; returns how long to wait before the next one. */
  record(instanceId: string, error: unknown): number {
    const permanent = isPermanentFailure(error);
    const before = this.failing.get(instanceId);
    const entry: FailingInstance = {
      instanceId,
      attempts: (before?.attempts ?? 0) + 1,
      lastError: describeError(error),
      failingSince: before?.failingSince ?? this.now().toISOString(),
      permanent: permanent || (before?.permanent ?? false),
      gaveUp: before?.gaveUp ?? false,
    };
    // Re-inserted, so that the map's order is the order of last failure.
    this.failing.delete(instanceId);
    this.failing.set(instanceId, entry);
    if (this.failing.size > MAX_REMEMBERED) {
      const oldest = this.failing.keys().next().value;
      if (oldest !== undefined) this.failing.delete(oldest);
    }
    // A permanent failure is tried at once, and then given up on: the next attempt fails the
    // instance instead of repeating what cannot work.
    if (permanent) return 0;
    return this.backOff(entry.attempts);
  }

  /** Failing the instance could not be written: the next try writes less (see `gaveUpBefore`). */
  giveUpFailed(instanceId: string, error: unknown): number {
    const entry = this.failing.get(instanceId);
    if (!entry) return this.record(instanceId, error);
    entry.attempts += 1;
    entry.lastError = describeError(error);
    const second = entry.gaveUp;
    entry.gaveUp = true;
    // The status row alone is tried at once; after that, storage itself is failing: back off.
    return second ? this.backOff(entry.attempts) : 0;
  }

  /** Whether failing this instance was tried before and could not be written. */
  gaveUpBefore(instanceId: string): boolean {
    return this.failing.get(instanceId)?.gaveUp ?? false;
  }

  private backOff(attempts: number): number {
    const { firstRetryDelayMs, maxRetryDelayMs } = this.settings;
    return Math.min(maxRetryDelayMs, firstRetryDelayMs * 2 ** Math.min(30, attempts - 1));
  }

  /**
   * Whether the instance's next work item should fail it rather than run: its last failure was
   * permanent, or it has used up its attempts. Returns the reason to record, or undefined.
   */
  giveUpReason(instanceId: string): string | undefined {
    const entry = this.failing.get(instanceId);
    if (!entry) return undefined;
    if (entry.permanent) {
      return (
        `The instance's work cannot succeed however often it is tried: ${entry.lastError}. ` +
        `Its messages were set aside as poison. Fix the cause (a value the storage refuses, or data ` +
        `that cannot be read) and start the instance again.`
      );
    }
    if (entry.attempts < this.settings.maxAttempts) return undefined;
    return (
      `The instance's work failed ${entry.attempts} times in a row since ${entry.failingSince}, ` +
      `the limit (poisonMessageThreshold) is ${this.settings.maxAttempts}; the last error: ${entry.lastError}. ` +
      `Its messages were set aside as poison. Check the storage account and the host's log, ` +
      `then start the instance again.`
    );
  }

  /** The attempt worked: the instance starts with a clean slate. */
  succeeded(instanceId: string): void {
    this.failing.delete(instanceId);
  }

  /** Instances whose work is failing now, most recently failed last. */
  list(): FailingInstance[] {
    return [...this.failing.values()].map((entry) => ({ ...entry }));
  }
}

function describeError(error: unknown): string {
  if (error instanceof Error) {
    const status = (error as { statusCode?: unknown }).statusCode;
    const text = `${error.name}: ${error.message}`.slice(0, 500);
    return typeof status === "number" ? `${text} (status ${status})` : text;
  }
  return String(error).slice(0, 500);
}
