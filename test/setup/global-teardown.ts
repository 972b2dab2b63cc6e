import type { AzuriteProcess } from "../support/azurite-process";

export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __azurite__?: AzuriteProcess }).__azurite__?.stop();
}
