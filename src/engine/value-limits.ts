/**
 * The largest value a client may hand over: a start input, event data, an entity operation's
 * input, a terminate, suspend, resume or rewind reason. Storage takes any size (large values go
 * to blobs); the limit is set by what an episode holds in memory. The orchestrator's trigger
 * payload carries a start input twice (in the history and as `input`), each escaped again
 * inside the payload's JSON (up to twice as long), and the worker's answer may carry it again.
 * Measured with HelloSequence on `durable start`: a 16 Mi-character input of quotes and
 * backslashes completes in about 4 s with the host at 0.3 GB; 64 Mi characters take 17 s and
 * 1.5 GB, so a few of those at once would exhaust node's default heap, and a value copied a
 * few times more would pass V8's string limit (2^29 - 24 characters).
 */
export const MAX_VALUE_LENGTH = 16 * 1024 * 1024;

/** What a value is, for the message: "start input", "event data", "terminate reason"... */
export type ValueKind =
  | "start input"
  | "event data"
  | "entity operation input"
  | "terminate reason"
  | "suspend reason"
  | "resume reason"
  | "rewind reason";

/** A value over MAX_VALUE_LENGTH: refused before anything is stored (the HTTP API answers 413). */
export class ValueTooLargeError extends Error {
  constructor(
    readonly kind: ValueKind,
    /** In UTF-16 code units, as `string.length` counts. */
    readonly length: number,
    readonly limit: number = MAX_VALUE_LENGTH,
  ) {
    super(
      `The ${kind} is ${length.toLocaleString("en-US")} characters long; values are limited to ` +
        `${limit.toLocaleString("en-US")} characters (16 Mi) of JSON text. ` +
        "Store large data elsewhere, such as in a blob, and pass its address.",
    );
    this.name = "ValueTooLargeError";
  }
}

/** Throws ValueTooLargeError when `text` (JSON text or a reason) is over the limit. */
export function requireValueWithinLimit(kind: ValueKind, text: string | null | undefined): void {
  if (text != null && text.length > MAX_VALUE_LENGTH) throw new ValueTooLargeError(kind, text.length);
}
