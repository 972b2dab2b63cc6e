import { app, type HttpRequest, type HttpResponseInit, type InvocationContext } from "@azure/functions";
import * as df from "durable-ts";
import { refusedCall } from "./refused-call";

/** POST /api/orchestrators/{name}/{instanceId?}: starts an orchestration with the body as input. */
app.http("HttpStart", {
  route: "orchestrators/{orchestratorName}/{instanceId?}",
  methods: ["POST"],
  authLevel: "anonymous",
  extraInputs: [df.input.durableClient()],
  handler: async (request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> => {
    const client = df.getClient(context);
    const text = await request.text();
    let input: unknown;
    try {
      input = text ? JSON.parse(text) : undefined;
    } catch {
      return {
        status: 400,
        jsonBody: { error: "The request body must be JSON: the orchestration's input." },
      };
    }
    let instanceId: string;
    try {
      instanceId = await client.startNew(request.params.orchestratorName, {
        input,
        instanceId: request.params.instanceId,
      });
    } catch (error) {
      // An unknown orchestrator (400) or an instance id that is in use (409) or not allowed (400).
      const refusal = refusedCall(error);
      if (refusal) return refusal;
      throw error;
    }
    context.log(`Started orchestration with ID = '${instanceId}'.`);
    return client.createCheckStatusResponse(request, instanceId);
  },
});
