/** How a failed activity or sub-orchestration is retried. Waits between attempts are durable timers. */
export class RetryOptions {
  /** Multiplies the delay after each failed attempt. */
  declare backoffCoefficient: number;
  /** Upper bound of one delay. */
  declare maxRetryIntervalInMilliseconds: number;
  /** No further attempt starts once this much time has passed since the first. */
  declare retryTimeoutInMilliseconds: number;

  constructor(
    public readonly firstRetryIntervalInMilliseconds: number,
    public readonly maxNumberOfAttempts: number,
  ) {
    throwIfNotNumber(firstRetryIntervalInMilliseconds, "firstRetryIntervalInMilliseconds");
    throwIfNotNumber(maxNumberOfAttempts, "maxNumberOfAttempts");
    if (firstRetryIntervalInMilliseconds <= 0) {
      throw new RangeError("firstRetryIntervalInMilliseconds value must be greater than 0.");
    }
  }
}

function throwIfNotNumber(value: unknown, name: string): void {
  if (typeof value !== "number") {
    throw new TypeError(`${name}: Expected number but got ${typeof value}`);
  }
}
