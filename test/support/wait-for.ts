/** Waiting in tests: poll a condition until it holds, or fail saying what was awaited. */

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what = "condition",
  everyMs = 100,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`${what} not met within ${timeoutMs} ms.`);
    await delay(everyMs);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
