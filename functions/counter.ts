import type { HttpResponseInit } from "@azure/functions";
import * as df from "durable-ts";
import type { EntityContext } from "durable-ts";
import { refusedCall } from "./refused-call";

/** A Counter entity: add, subtract, reset and get, one operation at a time per key. */
df.app.entity("Counter", (context: EntityContext<number>) => {
  const value = context.df.getState(() => 0) ?? 0;
  switch (context.df.operationName) {
    case "add":
      context.df.setState(value + Number(context.df.getInput() ?? 1));
      break;
    case "subtract":
      context.df.setState(value - Number(context.df.getInput() ?? 1));
      break;
    case "reset":
      context.df.setState(0);
      break;
    case "get":
      context.df.return(value);
      break;
    case "delete":
      context.df.destructOnExit();
      break;
  }
});

/** The Counter with that key, or a 400 for a key an entity id cannot have (blank). */
function counterId(key: string): df.EntityId | HttpResponseInit {
  try {
    return new df.EntityId("Counter", key);
  } catch (error) {
    return { status: 400, jsonBody: { error: (error as Error).message } };
  }
}

/** The operations a client may signal; "get" answers only callers that wait for it. */
const SIGNALLED_OPERATIONS = ["add", "subtract", "reset", "delete"];

/** POST /api/counters/{key}/{operation}: signals the Counter with the body (JSON) as input. */
df.app.client.http("CounterSignal", {
  route: "counters/{key}/{operation}",
  methods: ["POST"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    const { key, operation } = request.params;
    if (!SIGNALLED_OPERATIONS.includes(operation)) {
      return {
        status: 400,
        jsonBody: {
          error: `Unknown operation '${operation}'; use one of ${SIGNALLED_OPERATIONS.join(", ")}.`,
        },
      };
    }
    const text = await request.text();
    let input: unknown;
    try {
      input = text ? JSON.parse(text) : undefined;
    } catch {
      return { status: 400, jsonBody: { error: "The request body must be JSON: the operation's input." } };
    }
    // Processed in the background, in order: the state read afterwards may not show it yet.
    const counter = counterId(key);
    if (!(counter instanceof df.EntityId)) return counter;
    try {
      await client.signalEntity(counter, operation, input);
    } catch (error) {
      // A key the host cannot store (400).
      const refusal = refusedCall(error);
      if (refusal) return refusal;
      throw error;
    }
    return { status: 202 };
  },
});

/** GET /api/counters/{key}: the Counter's value, or 404 when it does not exist. */
df.app.client.http("CounterRead", {
  route: "counters/{key}",
  methods: ["GET"],
  authLevel: "anonymous",
  handler: async (request, client) => {
    const { key } = request.params;
    const counterEntity = counterId(key);
    if (!(counterEntity instanceof df.EntityId)) return counterEntity;
    let counter: df.EntityStateResponse<number>;
    try {
      counter = await client.readEntityState<number>(counterEntity);
    } catch (error) {
      const refusal = refusedCall(error);
      if (refusal) return refusal;
      throw error;
    }
    if (!counter.entityExists) return { status: 404, jsonBody: { error: `No counter '${key}'.` } };
    return { status: 200, jsonBody: counter.entityState };
  },
});
