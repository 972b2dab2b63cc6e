const df = require("durable-functions");
const { errorResponse } = require("../errorResponse");

// Client functions that manage orchestration instances with the DurableClient's methods.

// GET /api/instances/{instanceId}?showHistory=&showHistoryOutput=&showInput=
df.app.client.http("getInstanceStatus", {
  route: "instances/{instanceId}",
  methods: ["GET"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    try {
      const status = await client.getStatus(request.params.instanceId, {
        showHistory: flag(request, "showHistory"),
        showHistoryOutput: flag(request, "showHistoryOutput"),
        showInput: flag(request, "showInput"),
      });
      return { jsonBody: status };
    } catch (error) {
      return errorResponse(error);
    }
  },
});

// GET /api/instances?createdTimeFrom=&createdTimeTo=&runtimeStatus=Running,Completed
// Every instance of the task hub (getStatusAll), or those the filter selects (getStatusBy).
df.app.client.http("listInstances", {
  route: "instances",
  methods: ["GET"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    try {
      const filter = orchestrationFilter(request);
      const statuses = filter ? await client.getStatusBy(filter) : await client.getStatusAll();
      return { jsonBody: statuses };
    } catch (error) {
      return errorResponse(error);
    }
  },
});

// POST /api/instances/{instanceId}/raiseEvent/{eventName}: the JSON body is the event's data.
df.app.client.http("raiseEvent", {
  route: "instances/{instanceId}/raiseEvent/{eventName}",
  methods: ["POST"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    const body = await request.text();
    try {
      await client.raiseEvent(
        request.params.instanceId,
        request.params.eventName,
        body ? JSON.parse(body) : undefined,
      );
      return { status: 202 };
    } catch (error) {
      return errorResponse(error);
    }
  },
});

// POST /api/instances/{instanceId}/{terminate|suspend|resume|rewind}?reason=
df.app.client.http("manageInstance", {
  route: "instances/{instanceId}/{operation:alpha}",
  methods: ["POST"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    const { instanceId, operation } = request.params;
    const reason = request.query.get("reason") ?? `${operation} requested`;
    try {
      switch (operation) {
        case "terminate":
          await client.terminate(instanceId, reason);
          break;
        case "suspend":
          await client.suspend(instanceId, reason);
          break;
        case "resume":
          await client.resume(instanceId, reason);
          break;
        case "rewind":
          await client.rewind(instanceId, reason);
          break;
        default:
          return { status: 404, jsonBody: { error: `Unknown operation '${operation}'.` } };
      }
      return { status: 202 };
    } catch (error) {
      return errorResponse(error);
    }
  },
});

// DELETE /api/instances/{instanceId}: purges one instance's history.
df.app.client.http("purgeInstance", {
  route: "instances/{instanceId}",
  methods: ["DELETE"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    try {
      const result = await client.purgeInstanceHistory(request.params.instanceId);
      return { jsonBody: result };
    } catch (error) {
      return errorResponse(error);
    }
  },
});

// DELETE /api/instances?createdTimeFrom=&createdTimeTo=&runtimeStatus=: purges by filter.
df.app.client.http("purgeInstances", {
  route: "instances",
  methods: ["DELETE"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    try {
      const result = await client.purgeInstanceHistoryBy(orchestrationFilter(request) ?? {});
      return { jsonBody: result };
    } catch (error) {
      return errorResponse(error);
    }
  },
});

function flag(request, name) {
  return request.query.get(name) === "true";
}

/** createdTimeFrom, createdTimeTo and runtimeStatus from the query; undefined when none is given. */
function orchestrationFilter(request) {
  const filter = {};
  const from = request.query.get("createdTimeFrom");
  const to = request.query.get("createdTimeTo");
  const statuses = request.query.get("runtimeStatus");
  if (from) filter.createdTimeFrom = new Date(from);
  if (to) filter.createdTimeTo = new Date(to);
  if (statuses) filter.runtimeStatus = statuses.split(",");
  return Object.keys(filter).length > 0 ? filter : undefined;
}
