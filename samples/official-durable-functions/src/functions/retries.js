const df = require("durable-functions");

// Attempts per key, kept in this worker's memory: enough to simulate a flaky dependency.
const attemptsByKey = new Map();

// Fails the first `failures` times it is called for a key, then succeeds.
df.app.activity("flakyWork", {
  handler: ({ key, failures }) => {
    const attempts = (attemptsByKey.get(key) ?? 0) + 1;
    attemptsByKey.set(key, attempts);
    if (attempts <= failures) {
      throw new Error(`flakyWork '${key}' failed on attempt ${attempts}`);
    }
    return { key, attempts };
  },
});

// Automatic retries: up to five attempts, 250 ms apart, each wait a durable timer.
df.app.orchestration("retryFlaky", function* (context) {
  const retryOptions = new df.RetryOptions(250, 5);
  return yield context.df.callActivityWithRetry("flakyWork", retryOptions, context.df.getInput());
});

// Without retries the first failure fails the orchestration; rewinding it through the client
// runs the failed activity again.
df.app.orchestration("rewindable", function* (context) {
  return yield context.df.callActivity("flakyWork", context.df.getInput());
});
