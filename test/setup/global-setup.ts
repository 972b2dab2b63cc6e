import { startAzurite } from "../support/azurite-process";

/** One Azurite for the whole run; tests read its connection string from the environment. */
export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite();
  process.env.DURABLE_TEST_STORAGE = azurite.connectionString;
  (globalThis as { __azurite__?: typeof azurite }).__azurite__ = azurite;
}
