/**
 * A worker process for the multi-process tests: runs the "FanOutSum" orchestration and its
 * "Square" activity on an Azure Storage task hub. Every activity execution is reported on
 * stdout as `RAN <instanceId> <n>`, so the test can count the ones that ran more than once.
 *
 * Environment: as run-worker.ts.
 */
import * as df from "../../../../src/index";
import { runWorkerProcess } from "./run-worker";

df.app.orchestration("FanOutSum", function* (context) {
  const count = context.df.getInput<number>();
  const tasks = [];
  for (let n = 1; n <= count; n++) tasks.push(context.df.callActivity("Square", n));
  const squares: number[] = yield context.df.Task.all(tasks);
  return squares.reduce((sum, value) => sum + value, 0);
});

df.app.activity("Square", {
  handler: async (n: number, context) => {
    process.stdout.write(`RAN ${context.triggerMetadata?.instanceId as string} ${n}\n`);
    // Long enough that a kill lands while activities are in flight.
    await new Promise((resolve) => setTimeout(resolve, 20));
    return n * n;
  },
});

runWorkerProcess();
