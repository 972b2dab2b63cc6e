const { app } = require("@azure/functions");
const df = require("durable-functions");
const { errorResponse } = require("../errorResponse");

// POST /api/orchestrators/{orchestratorName}/{instanceId?}: starts an orchestration with the
// JSON body as its input and answers 202 with the URLs to manage it.
// A regular HTTP function that takes the durable client as an extra input.
app.http("httpStart", {
  route: "orchestrators/{orchestratorName}/{instanceId?}",
  methods: ["POST"],
  authLevel: "anonymous",
  extraInputs: [df.input.durableClient()],
  handler: async (request, context) => {
    const client = df.getClient(context);
    const body = await request.text();
    try {
      const instanceId = await client.startNew(request.params.orchestratorName, {
        instanceId: request.params.instanceId,
        input: body ? JSON.parse(body) : undefined,
      });
      context.log(`Started orchestration with ID = '${instanceId}'.`);
      return client.createCheckStatusResponse(request, instanceId);
    } catch (error) {
      return errorResponse(error);
    }
  },
});

// POST /api/orchestrators-wait/{orchestratorName}?timeoutMs=&retryIntervalMs=: starts an
// orchestration and waits for it. Completed: 200 with its output; failed: 500 with its status;
// still running at the timeout: the 202 check-status response.
// The durable-functions shortcut: the client is the handler's second argument.
df.app.client.http("httpStartAndWait", {
  route: "orchestrators-wait/{orchestratorName}/{instanceId?}",
  methods: ["POST"],
  authLevel: "anonymous",
  handler: async (request, client, context) => {
    const body = await request.text();
    const instanceId = await client.startNew(request.params.orchestratorName, {
      instanceId: request.params.instanceId,
      input: body ? JSON.parse(body) : undefined,
    });
    context.log(`Started orchestration with ID = '${instanceId}'.`);
    return client.waitForCompletionOrCreateCheckStatusResponse(request, instanceId, {
      timeoutInMilliseconds: Number(request.query.get("timeoutMs") ?? "10000"),
      retryIntervalInMilliseconds: Number(request.query.get("retryIntervalMs") ?? "200"),
    });
  },
});
