import type { EntityId } from "./entity-id";

/**
 * A critical section over one or more entities, returned by yielding `context.df.lock(...)`.
 * Release it with `release()`, a `using` declaration, or by letting the orchestration end.
 */
export class DurableLock {
  /** The locked entities, sorted and without duplicates. */
  readonly ownedLocks: ReadonlyArray<EntityId>;
  /**
   * Scheduler ids ("@name@key") of locked entities with a call in flight; the orchestration
   * context uses it to refuse a second parallel call to the same entity.
   * @internal
   */
  readonly inFlightEntityCalls = new Set<string>();
  private released = false;

  /** Built by `context.df.lock`; the defaults only give the class the official declared shape. */
  constructor(
    ownedLocks: readonly EntityId[] = [],
    private readonly onRelease: () => void = () => undefined,
  ) {
    this.ownedLocks = Object.freeze([...ownedLocks]);
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** Leaves the critical section; releasing twice does nothing. */
  release(): void {
    if (this.released) {
      return;
    }
    this.released = true;
    this.inFlightEntityCalls.clear();
    this.onRelease();
  }

  [Symbol.dispose](): void {
    this.release();
  }
}
