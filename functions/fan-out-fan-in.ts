import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import * as df from "durable-ts";
import type { OrchestrationContext } from "durable-ts";

/** Fan-out/fan-in: the size of every file under a folder, measured in parallel and summed. */
df.app.activity("ListFiles", {
  handler: async (folder: string) => {
    const entries = await readdir(folder, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
  },
});

df.app.activity("FileSize", { handler: async (path: string) => (await stat(path)).size });

df.app.orchestration("FanOutFanIn", function* (context: OrchestrationContext) {
  const folder = context.df.getInput<string>() ?? ".";
  const files: string[] = yield context.df.callActivity("ListFiles", folder);
  const sizes: number[] = yield context.df.Task.all(
    files.map((file) => context.df.callActivity("FileSize", file)),
  );
  return { folder, files: files.length, totalBytes: sizes.reduce((sum, size) => sum + size, 0) };
});
