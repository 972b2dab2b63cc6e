import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { startAzurite } from "../support/azurite-process";

/**
 * One Azurite for the whole run; tests read its connection string from the environment. The
 * package is built once too, for the tests that run the real `durable` command and the demo.
 */
export default async function globalSetup(): Promise<void> {
  const azurite = await startAzurite();
  process.env.DURABLE_TEST_STORAGE = azurite.connectionString;
  (globalThis as { __azurite__?: typeof azurite }).__azurite__ = azurite;
  const root = resolve(__dirname, "../..");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.build.json"], {
    cwd: root,
    stdio: "inherit",
  });
}
