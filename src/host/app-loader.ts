import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";

/**
 * Loads a Functions app the way the Node worker does: the file named by `main` in the app's
 * package.json. Registration happens as a side effect of loading it.
 */
export async function loadApp(appDir: string): Promise<string> {
  const packageJsonPath = resolve(appDir, "package.json");
  let main: unknown;
  try {
    main = (JSON.parse(readFileSync(packageJsonPath, "utf8")) as { main?: unknown }).main;
  } catch (error) {
    throw new Error(`Cannot read ${packageJsonPath}: ${(error as Error).message}`, { cause: error });
  }
  if (typeof main !== "string" || main.length === 0) {
    throw new Error(`${packageJsonPath} has no "main" naming the app's entry file.`);
  }
  const entry = resolve(appDir, main);
  // import() loads CommonJS and ES module apps alike.
  await import(pathToFileURL(entry).href);
  return entry;
}
