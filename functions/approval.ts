import * as df from "durable-ts";
import type { OrchestrationContext } from "durable-ts";

/** Human interaction: wait for an "Approval" event, or give up when the deadline passes. */
df.app.orchestration("Approval", function* (context: OrchestrationContext) {
  const timeoutSeconds = context.df.getInput<{ timeoutSeconds?: number }>()?.timeoutSeconds ?? 300;
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + timeoutSeconds * 1000);
  const timeout = context.df.createTimer(deadline);
  const approval = context.df.waitForExternalEvent("Approval");
  context.df.setCustomStatus("waiting for approval");
  const winner = yield context.df.Task.any([approval, timeout]);
  if (winner === timeout) return { approved: false, reason: "timed out" };
  timeout.cancel();
  const answer = approval.result as { approved?: boolean; by?: string } | undefined;
  return { approved: answer?.approved === true, by: answer?.by ?? null };
});
