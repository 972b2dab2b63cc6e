/**
 * The app in samples/official-durable-functions: written against Microsoft's `@azure/functions`
 * and `durable-functions` only, with its own package.json and lockfile. Its dependencies come
 * from npm, installed once and reused while the lockfile stays the same.
 */
import { execFile } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { promisify } from "node:util";
import { REPO_ROOT } from "../../host/support/host-process";

export const SAMPLE_DIR = join(REPO_ROOT, "samples/official-durable-functions");

/** Where the hash of the lockfile the installed node_modules came from is kept. */
const LOCK_HASH_FILE = join(SAMPLE_DIR, "node_modules/.durable-ts-lock-hash");

/**
 * Runs `npm ci` in the sample unless its node_modules were installed from the same
 * package-lock.json already. Returns whether it installed.
 */
export async function ensureSampleDependencies(): Promise<boolean> {
  const lockHash = createHash("sha256")
    .update(await readFile(join(SAMPLE_DIR, "package-lock.json")))
    .digest("hex");
  if (existsSync(LOCK_HASH_FILE) && (await readFile(LOCK_HASH_FILE, "utf8")).trim() === lockHash) {
    return false;
  }
  await promisify(execFile)("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: SAMPLE_DIR,
    env: npmEnvironment(),
    shell: process.platform === "win32",
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(LOCK_HASH_FILE, `${lockHash}\n`);
  return true;
}

/**
 * The environment without what `npm test` exported about the repository's own package, so
 * the nested npm works on the sample's package.json alone.
 */
function npmEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (/^npm_(package_|lifecycle_|config_local_prefix$)/i.test(name) || name === "INIT_CWD") continue;
    env[name] = value;
  }
  return env;
}

/** The sample's own files (not its dependencies): sources, manifests and settings. */
export async function sampleFiles(directory = SAMPLE_DIR): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(directory, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === ".azurite") continue;
    const path = join(directory, entry.name);
    if (entry.isDirectory()) files.push(...(await sampleFiles(path)));
    else files.push(path);
  }
  return files;
}

/** A task hub name of this run's own, so reruns against a persisted Azurite start empty. */
export function uniqueHubName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 4).toString(36)}`;
}
