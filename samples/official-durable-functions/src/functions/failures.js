const df = require("durable-functions");

// An activity that throws fails the orchestration that does not catch the error; the
// orchestration's output then carries the message.
df.app.orchestration("chargeOrder", function* (context) {
  const order = context.df.getInput();
  return yield context.df.callActivity("chargeCard", order);
});

// The same failure, caught: the orchestration can compensate and complete.
df.app.orchestration("chargeOrderSafely", function* (context) {
  const order = context.df.getInput();
  try {
    return yield context.df.callActivity("chargeCard", order);
  } catch (error) {
    return { charged: false, reason: error.message };
  }
});

df.app.activity("chargeCard", {
  handler: (order) => {
    throw new Error(`Card declined for order ${order.orderId}`);
  },
});
