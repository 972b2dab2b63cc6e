const df = require("durable-functions");

// Function chaining: each activity runs after the previous one has finished.
df.app.orchestration("helloSequence", function* (context) {
  const outputs = [];
  outputs.push(yield context.df.callActivity("sayHello", "Tokyo"));
  outputs.push(yield context.df.callActivity("sayHello", "Seattle"));
  outputs.push(yield context.df.callActivity("sayHello", "Cairo"));
  return outputs;
});

df.app.activity("sayHello", {
  handler: (city) => `Hello ${city}!`,
});

// The smallest orchestration: it returns its input. Handy to fill a task hub with instances.
df.app.orchestration("returnInput", function* (context) {
  return context.df.getInput();
});
