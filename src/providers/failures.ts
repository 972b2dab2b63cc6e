/**
 * How a provider tells the engine that an operation failed for good: the same request would
 * fail the same way however often it were tried (the store refused the value, the data could
 * not be read). The engine then fails the instance at once instead of retrying.
 */
export class PermanentFailure extends Error {
  readonly permanent = true;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "PermanentFailure";
  }
}

/**
 * Whether an error is known to be permanent: marked so by a provider, or a fault of reading or
 * computing (a payload that does not parse, a value too deep to walk) that another try repeats.
 */
export function isPermanentFailure(error: unknown): boolean {
  if (error instanceof PermanentFailure) return true;
  if (error instanceof SyntaxError || error instanceof RangeError) return true;
  return (error as { permanent?: unknown } | null)?.permanent === true;
}

/**
 * An attempt that failed only because an earlier attempt at the same instance did (its commit
 * was built on that one's): not a failure of its own, so the engine does not count it.
 */
export class FollowOnFailure extends Error {
  readonly followOn = true;

  constructor(cause: unknown) {
    super(
      `An earlier commit of this instance failed: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
    this.name = "FollowOnFailure";
  }
}

export function isFollowOnFailure(error: unknown): boolean {
  return (error as { followOn?: unknown } | null)?.followOn === true;
}
