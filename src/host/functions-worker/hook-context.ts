import type { HookCallback } from "./core-types";

/**
 * Adds properties an app may read and mutate but not replace. The worker throws on assignment
 * even in sloppy-mode code, where a getter-only property would fail silently.
 */
export function withReadOnly<T extends object>(target: T, properties: Record<string, unknown>): T {
  for (const [name, value] of Object.entries(properties)) {
    Object.defineProperty(target, name, {
      enumerable: true,
      get: () => value,
      set: () => {
        throw new TypeError(`Cannot assign to read only property '${name}'`);
      },
    });
  }
  return target;
}

/**
 * Runs hooks one after another, in registration order, awaiting each: a throwing hook stops the
 * rest and fails what it guards (the invocation, the app start), as in the worker.
 */
export async function runHooks(callbacks: readonly HookCallback[], context: object): Promise<void> {
  // A hook may dispose itself (or another) while running; the list at the start is what runs.
  for (const callback of [...callbacks]) {
    await callback(context);
  }
}
