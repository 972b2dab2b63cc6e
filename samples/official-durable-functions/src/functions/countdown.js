const df = require("durable-functions");

// Durable timers and custom status: the orchestration sleeps between steps without using any
// compute, and tells its callers how far it got through its custom status.
df.app.orchestration("countdown", function* (context) {
  const { steps = 3, intervalSeconds = 1 } = context.df.getInput() || {};
  for (let remaining = steps; remaining > 0; remaining--) {
    context.df.setCustomStatus({ remaining });
    const fireAt = new Date(context.df.currentUtcDateTime.getTime() + intervalSeconds * 1000);
    yield context.df.createTimer(fireAt);
  }
  context.df.setCustomStatus({ remaining: 0, done: true });
  return "Liftoff!";
});
