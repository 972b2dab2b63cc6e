/**
 * The benchmark app: the shapes the published Durable Functions figures use, written with our
 * SDK as a user would, and loaded by `durable start` like any app.
 */
import * as df from "durable-ts";
import type { OrchestrationContext } from "durable-ts";

df.app.activity("BenchEcho", { handler: (input: unknown) => input });

/** When the activity ran, for the fan-out and fan-in rates. */
df.app.activity("BenchStamp", { handler: () => Date.now() });

df.app.orchestration("BenchSequential", function* (context: OrchestrationContext) {
  const steps = context.df.getInput<number>() ?? 0;
  for (let i = 0; i < steps; i++) yield context.df.callActivity("BenchEcho", i);
  return steps;
});

df.app.orchestration("BenchFanOutFanIn", function* (context: OrchestrationContext) {
  const width = context.df.getInput<number>() ?? 0;
  const stamps: number[] = yield context.df.Task.all(
    Array.from({ length: width }, () => context.df.callActivity("BenchStamp")),
  );
  return { first: Math.min(...stamps), last: Math.max(...stamps), count: stamps.length };
});

df.app.orchestration("BenchHelloCities", function* (context: OrchestrationContext) {
  const cities = ["Tokyo", "Seattle", "London", "Cairo", "Lima"];
  const greetings: unknown[] = [];
  for (const city of cities) greetings.push(yield context.df.callActivity("BenchEcho", `Hello ${city}`));
  return greetings.length;
});

df.app.orchestration("BenchEvents", function* (context: OrchestrationContext) {
  const expected = context.df.getInput<number>() ?? 0;
  let sum = 0;
  for (let i = 0; i < expected; i++) sum += (yield context.df.waitForExternalEvent("tick")) as number;
  return sum;
});

df.app.entity("BenchCounter", (context) => {
  const value = (context.df.getState(() => 0) as number | undefined) ?? 0;
  if (context.df.operationName === "add")
    context.df.setState(value + ((context.df.getInput() as number) ?? 1));
  else context.df.return(value);
});
