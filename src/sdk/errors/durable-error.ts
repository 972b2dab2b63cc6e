/** An error raised by the durable SDK itself, so callers can tell it from their own errors with `instanceof`. */
export class DurableError extends Error {
  constructor(message: string | undefined) {
    super(message);
  }
}
