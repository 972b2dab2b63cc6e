import * as df from "durable-ts";
import type { OrchestrationContext } from "durable-ts";

/** Sub-orchestrations: run HelloSequence for each region as a child, in parallel. */
df.app.orchestration("GreetRegions", function* (context: OrchestrationContext) {
  const regions = context.df.getInput<string[]>() ?? ["emea", "apac"];
  const children = regions.map((region) =>
    context.df.callSubOrchestrator("HelloSequence", undefined, `${context.df.instanceId}-${region}`),
  );
  const results: string[][] = yield context.df.Task.all(children);
  return Object.fromEntries(regions.map((region, i) => [region, results[i]]));
});
