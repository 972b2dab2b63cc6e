const df = require("durable-functions");

// A durable entity: a counter whose value survives between operations.
df.app.entity("Counter", (context) => {
  const currentValue = context.df.getState(() => 0);
  switch (context.df.operationName) {
    case "add":
      context.df.setState(currentValue + context.df.getInput());
      break;
    case "reset":
      context.df.setState(0);
      break;
    case "get":
      context.df.return(currentValue);
      break;
    case "delete":
      context.df.destructOnExit();
      break;
  }
});

// An orchestration talks to an entity two ways: signals (fire-and-forget) and calls (which wait
// for the operation and its result). Operations from one sender arrive in the order sent.
df.app.orchestration("counterOrchestration", function* (context) {
  const entityId = new df.EntityId("Counter", context.df.getInput());
  context.df.signalEntity(entityId, "add", 5);
  context.df.signalEntity(entityId, "add", 10);
  const afterSignals = yield context.df.callEntity(entityId, "get");
  yield context.df.callEntity(entityId, "add", 1);
  const afterCall = yield context.df.callEntity(entityId, "get");
  return { afterSignals, afterCall };
});

// POST /api/entities/{entityName}/{entityKey}/{operationName}: signals an entity; the JSON body is the input.
df.app.client.http("signalEntity", {
  route: "entities/{entityName}/{entityKey}/{operationName}",
  methods: ["POST"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    const { entityName, entityKey, operationName } = request.params;
    const body = await request.text();
    await client.signalEntity(
      new df.EntityId(entityName, entityKey),
      operationName,
      body ? JSON.parse(body) : undefined,
    );
    return { status: 202 };
  },
});

// GET /api/entities/{entityName}/{entityKey}: reads an entity's state.
df.app.client.http("readEntityState", {
  route: "entities/{entityName}/{entityKey}",
  methods: ["GET"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    const { entityName, entityKey } = request.params;
    const response = await client.readEntityState(new df.EntityId(entityName, entityKey));
    return {
      status: response.entityExists ? 200 : 404,
      jsonBody: { entityExists: response.entityExists, entityState: response.entityState },
    };
  },
});
