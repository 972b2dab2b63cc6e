import * as df from "durable-ts";
import type { OrchestrationContext } from "durable-ts";

/** Function chaining: three activities, each after the previous one. */
df.app.activity("SayHello", { handler: (city: string) => `Hello ${city}!` });

df.app.orchestration("HelloSequence", function* (context: OrchestrationContext) {
  const greetings: string[] = [];
  for (const city of ["Tokyo", "Seattle", "London"]) {
    greetings.push(yield context.df.callActivity("SayHello", city));
  }
  return greetings;
});
