import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/** The version of the durable-ts package this host runs from (built or from source). */
export function packageVersion(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const path = join(dir, "package.json");
    if (!existsSync(path)) continue;
    const manifest = JSON.parse(readFileSync(path, "utf8")) as { name?: string; version?: string };
    if (manifest.name === "durable-ts" && manifest.version) return manifest.version;
  }
  return "unknown";
}
