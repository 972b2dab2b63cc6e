interface Waiter<T> {
  resolve(value: T | undefined): void;
  detach(): void;
}

/**
 * Callers parked until work arrives, served oldest first. Work is handed to a waiter directly,
 * so nobody polls and nobody can be overtaken by a later caller.
 */
export class Waiters<T> {
  private readonly queue: Waiter<T>[] = [];

  get size(): number {
    return this.queue.length;
  }

  /** Resolves with the value handed over, or undefined when `signal` aborts or all are released. */
  wait(signal?: AbortSignal): Promise<T | undefined> {
    if (signal?.aborted) return Promise.resolve(undefined);
    return new Promise<T | undefined>((resolve) => {
      const onAbort = (): void => {
        const index = this.queue.indexOf(waiter);
        if (index >= 0) this.queue.splice(index, 1);
        resolve(undefined);
      };
      const waiter: Waiter<T> = {
        resolve,
        detach: () => signal?.removeEventListener("abort", onAbort),
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.queue.push(waiter);
    });
  }

  /** Hands `value` to the oldest waiter; false when there is none. */
  serve(value: T): boolean {
    const waiter = this.queue.shift();
    if (!waiter) return false;
    waiter.detach();
    waiter.resolve(value);
    return true;
  }

  /** Resolves every waiter with undefined. */
  releaseAll(): void {
    for (const waiter of this.queue.splice(0)) {
      waiter.detach();
      waiter.resolve(undefined);
    }
  }
}
