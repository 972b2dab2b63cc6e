import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { glob } from "tinyglobby";
import { AppLoadError } from "./app-load-error";

/**
 * The files the worker loads at startup: `main` of the app's package.json, which in the v4
 * programming model may be one file or a glob such as "dist/src/functions/*.js".
 */
export async function findEntryFiles(directory: string): Promise<string[]> {
  const packageJsonPath = join(directory, "package.json");
  const main = readMain(packageJsonPath, await readPackageJson(packageJsonPath));
  // A directory is not an entry point: matching files only keeps a folder's source maps and
  // other non-code files out of the load.
  const files = await glob(main, {
    cwd: directory,
    absolute: true,
    onlyFiles: true,
    expandDirectories: false,
  });
  if (files.length === 0) {
    throw new AppLoadError(
      `"main" in ${packageJsonPath} is "${main}", which matches no file: build the app, or point "main" at its entry file.`,
    );
  }
  // Sorted, so that registration order does not depend on the file system.
  return files.sort();
}

async function readPackageJson(packageJsonPath: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(packageJsonPath, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") {
      throw new AppLoadError(
        `No package.json at ${packageJsonPath}: start the host in the app's folder, or add a package.json whose "main" names the app's entry file.`,
      );
    }
    throw new AppLoadError(`Cannot read ${packageJsonPath}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new AppLoadError(`${packageJsonPath} is not valid JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

function readMain(packageJsonPath: string, packageJson: unknown): string {
  const main = (packageJson as { main?: unknown } | null)?.main;
  if (typeof main !== "string" || main.trim() === "") {
    throw new AppLoadError(
      `${packageJsonPath} has no "main": set it to the app's entry file, or a glob such as "dist/src/functions/*.js".`,
    );
  }
  return main.trim();
}
