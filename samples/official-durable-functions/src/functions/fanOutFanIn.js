const df = require("durable-functions");

// Fan-out/fan-in: one activity per work item, all running at once, then one result from them all.
df.app.orchestration("fanOutFanIn", function* (context) {
  const count = context.df.getInput() || 200;
  const workItems = yield context.df.callActivity("getWorkItems", count);

  const tasks = [];
  for (const item of workItems) {
    tasks.push(context.df.callActivity("squareNumber", item));
  }
  const squares = yield context.df.Task.all(tasks);

  const sum = squares.reduce((total, square) => total + square, 0);
  return { count: squares.length, sum };
});

df.app.activity("getWorkItems", {
  handler: (count) => Array.from({ length: count }, (_, index) => index + 1),
});

df.app.activity("squareNumber", {
  handler: (value) => value * value,
});
