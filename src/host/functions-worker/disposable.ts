/**
 * The `Disposable` of `@azure/functions-core`: what `registerFunction` and `registerHook` return,
 * so an app can undo a registration.
 */
export class Disposable {
  /** One disposable for many; async dispose functions are not awaited, as in the worker. */
  static from(...disposableLikes: { dispose: () => unknown }[]): Disposable {
    return new Disposable(() => {
      for (const disposable of disposableLikes) {
        disposable.dispose();
      }
    });
  }

  #callOnDispose: (() => unknown) | undefined;

  constructor(callOnDispose: () => unknown) {
    this.#callOnDispose = callOnDispose;
  }

  /** Runs the undo once; later calls do nothing. */
  dispose(): unknown {
    const callOnDispose = this.#callOnDispose;
    this.#callOnDispose = undefined;
    return callOnDispose?.();
  }
}
