/** How the replay drives the user's generator, with the official worker's errors when it misbehaves. */

/** The generator protocol as the replay drives it; checked at run time, since any handler may be passed. */
export type UserCode = {
  next(value: unknown): IteratorResult<unknown>;
  throw(error: unknown): IteratorResult<unknown>;
};

/** Steps the generator, failing as the official worker does when the handler returned no generator. */
export function advance(code: UserCode, succeeded: boolean, value: unknown): IteratorResult<unknown> {
  const method = succeeded ? "next" : "throw";
  if (code === null || code === undefined) {
    throw new TypeError(`Cannot read properties of ${String(code)} (reading '${method}')`);
  }
  if (typeof code[method] !== "function") {
    throw new TypeError(`this.generator.${method} is not a function`);
  }
  return succeeded ? code.next(value) : code.throw(value);
}

export function notATaskMessage(value: unknown): string {
  const start = `Durable Functions programming constraint violation: Orchestration yielded data of type ${typeof value}.`;
  const middle =
    typeof value === "undefined"
      ? ' This is likely a result of yielding a "fire-and-forget API" such as signalEntity or continueAsNew.' +
        " These APIs should not be yielded as they are not blocking operations. Please remove the yield statement preceding those invocations." +
        " If you are not calling those APIs, p"
      : " Only Task types can be yielded. P";
  return (
    start +
    middle +
    "lease check your yield statements to make sure you only yield Task types resulting from calling Durable Functions APIs."
  );
}

/** What the worker reports as the error text: the thrown value's `message`, whatever it holds. */
export function messageOf(exception: unknown): unknown {
  if (exception === null || exception === undefined) {
    return undefined;
  }
  return (exception as { message?: unknown }).message;
}
