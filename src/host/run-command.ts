import { TaskHubClient } from "../engine/client";
import { toStatusBody } from "../engine/status-body";
import { DurableWorker } from "../engine/worker";
import { MemoryTaskHub } from "../providers/memory/memory-task-hub";
import { AppInvoker } from "./app-invoker";
import type { RunCommand } from "./cli-arguments";
import { loadFunctionApp } from "./functions-worker";

/**
 * `durable run <orchestrator>`: loads the app, runs one orchestration on an in-memory task hub
 * and prints its final status. Exit code 0 when it completed, 2 when it ended otherwise.
 */
export async function runOrchestration(command: RunCommand): Promise<number> {
  const app = await loadFunctionApp(command.appDir);
  const hub = new MemoryTaskHub({ name: "DurableCli" });
  const worker = new DurableWorker(hub, new AppInvoker(app));
  const client = new TaskHubClient(hub);
  await worker.start();
  try {
    const instanceId = await client.startNew(command.orchestrator, { input: command.input ?? null });
    const state = await client.waitForCompletion(instanceId, command.timeoutMs);
    if (!state) throw new Error(`Instance '${instanceId}' vanished.`);
    console.log(JSON.stringify(toStatusBody(state, undefined), null, 2));
    return state.runtimeStatus === "Completed" ? 0 : 2;
  } finally {
    await worker.stop();
    await app.runAppTerminateHooks();
  }
}
