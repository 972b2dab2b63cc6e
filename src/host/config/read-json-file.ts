import { readFileSync } from "node:fs";
import { JsonSyntaxError } from "./json-syntax-error";
import { parseJsonWithComments } from "./parse-json-with-comments";

/**
 * Reads and parses a configuration file; undefined when it does not exist. Errors are one line
 * that names the file as `path:line:column`, which terminals and editors turn into a link.
 */
export function readJsonFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`, { cause: error });
  }
  // Visual Studio saves these files with a byte order mark, which Newtonsoft skips.
  if (text.startsWith("\uFEFF")) text = text.slice(1);
  try {
    return parseJsonWithComments(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new Error(`Invalid JSON at ${path}:${error.line}:${error.column}: ${error.reason}.`, {
      cause: error,
    });
  }
}
