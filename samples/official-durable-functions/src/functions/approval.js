const df = require("durable-functions");

// Human interaction: wait for an approval event, but escalate when nobody answers in time.
df.app.orchestration("approvalWorkflow", function* (context) {
  const { timeoutSeconds = 60 } = context.df.getInput() || {};
  const deadline = new Date(context.df.currentUtcDateTime.getTime() + timeoutSeconds * 1000);

  const timeoutTask = context.df.createTimer(deadline);
  const approvalTask = context.df.waitForExternalEvent("ApprovalEvent");

  const winner = yield context.df.Task.any([approvalTask, timeoutTask]);
  if (winner === approvalTask) {
    timeoutTask.cancel();
    return yield context.df.callActivity("processApproval", approvalTask.result);
  }
  return yield context.df.callActivity("escalate", context.df.instanceId);
});

df.app.activity("processApproval", {
  handler: (approval) => ({ outcome: approval && approval.approved ? "approved" : "rejected", approval }),
});

df.app.activity("escalate", {
  handler: (instanceId) => ({ outcome: "escalated", instanceId }),
});
