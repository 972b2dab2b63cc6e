const df = require("durable-functions");

// Eternal orchestrations: each generation does a little work, then starts over with a new
// input and an empty history, so the history never grows without bound.
df.app.orchestration("countUp", function* (context) {
  const { value = 0, until = 3 } = context.df.getInput() || {};
  const next = yield context.df.callActivity("increment", value);
  if (next < until) {
    context.df.continueAsNew({ value: next, until });
    return;
  }
  return next;
});

df.app.activity("increment", {
  handler: (value) => value + 1,
});
