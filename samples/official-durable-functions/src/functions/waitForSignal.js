const df = require("durable-functions");

// A long-running orchestration that waits for a "Proceed" event: the one to terminate,
// suspend and resume through the client.
df.app.orchestration("waitForSignal", function* (context) {
  context.df.setCustomStatus("waiting for Proceed");
  const data = yield context.df.waitForExternalEvent("Proceed");
  context.df.setCustomStatus("proceeding");
  return { proceeded: true, data };
});
