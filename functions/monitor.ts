import * as df from "durable-ts";
import type { OrchestrationContext } from "durable-ts";

/** Monitor: poll a condition on a timer until it holds or the monitor expires. */
df.app.activity("CheckJobStatus", {
  // Stands in for a call to a real service: the job is "done" once its deadline has passed.
  handler: (job: { doneAt: string }) => (Date.now() >= Date.parse(job.doneAt) ? "done" : "running"),
});

df.app.orchestration("Monitor", function* (context: OrchestrationContext) {
  const input =
    context.df.getInput<{ jobSeconds?: number; pollSeconds?: number; expirySeconds?: number }>() ?? {};
  const start = context.df.currentUtcDateTime.getTime();
  const job = { doneAt: new Date(start + (input.jobSeconds ?? 3) * 1000).toISOString() };
  const expiry = start + (input.expirySeconds ?? 60) * 1000;
  let polls = 0;
  while (context.df.currentUtcDateTime.getTime() < expiry) {
    polls++;
    const status: string = yield context.df.callActivity("CheckJobStatus", job);
    context.df.setCustomStatus({ polls, status });
    if (status === "done") return { status, polls };
    const next = context.df.currentUtcDateTime.getTime() + (input.pollSeconds ?? 1) * 1000;
    yield context.df.createTimer(new Date(next));
  }
  return { status: "expired", polls };
});
