import { pathToFileURL } from "node:url";

// TypeScript's CommonJS transpile (ts-node, ts-jest, a test's register hook) rewrites `import()`
// into `require()`, which cannot load an ES module; code compiled at run time is out of its
// reach. The Node worker escapes its bundler the same way.
const nativeImport = new Function("specifier", "return import(specifier);") as (
  specifier: string,
) => Promise<unknown>;

/** Loads one app file with Node's own `import()`: ES modules and CommonJS alike. */
export function importFile(filePath: string): Promise<unknown> {
  return nativeImport(pathToFileURL(filePath).href);
}
