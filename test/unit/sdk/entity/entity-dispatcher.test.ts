/** The entity batch dispatcher beyond what the differential tests cover. */
import { InvocationContext } from "@azure/functions";
import type { EntityBatchRequest } from "../../../../src/protocol";
import {
  createEntityHandler,
  DummyEntityContext,
  EntityStateResponse,
  type EntityContext,
} from "../../../../src/sdk/entity";

const request: EntityBatchRequest = {
  self: { name: "counter", key: "k" },
  exists: true,
  state: "5",
  batch: [
    { name: "add", input: "2", isSignal: true },
    { name: "get", input: null, isSignal: false },
  ],
};

const counter = (context: EntityContext<number>): void => {
  const state = context.df.getState(() => 0) ?? 0;
  if (context.df.operationName === "add") {
    context.df.setState(state + (context.df.getInput<number>() ?? 0));
  } else {
    context.df.return(state);
  }
};

describe("createEntityHandler", () => {
  it("runs the batch in order and reports the final state", async () => {
    const result = await createEntityHandler(counter)(request, new InvocationContext());
    expect(result).toMatchObject({
      results: [{ isError: false }, { isError: false, result: "7" }],
      signals: [],
      entityExists: true,
      entityState: "7",
    });
    expect(result.results[0].result).toBeUndefined();
  });

  it("accepts the trigger as JSON text", async () => {
    const fromText = await createEntityHandler(counter)(JSON.stringify(request), new InvocationContext());
    expect(fromText).toMatchObject({ entityState: "7", results: [{}, { result: "7" }] });
  });

  it("rejects JSON text that is not a batch", async () => {
    await expect(createEntityHandler(counter)("not json", new InvocationContext())).rejects.toThrow(
      "Could not find an entityTrigger binding on context.",
    );
  });

  it("sets context.df on the invocation context it is given, per operation", async () => {
    const context = new DummyEntityContext<number>("Counter", "inv", () => undefined);
    const seen: (string | undefined)[] = [];
    await createEntityHandler<number>((c) => {
      seen.push(c.df.operationName);
      expect(c).toBe(context);
    })(request, context);
    expect(seen).toEqual(["add", "get"]);
    expect(context.df.operationName).toBe("get");
  });

  it("times every operation", async () => {
    const before = Date.now();
    const result = await createEntityHandler(counter)(request, new InvocationContext());
    for (const entry of result.results) {
      expect(entry.startTime).toBeGreaterThanOrEqual(before);
      expect(entry.duration).toBeGreaterThanOrEqual(0);
    }
  });
});

describe("DummyEntityContext", () => {
  it("defaults its name and a time-based invocation id, and starts without df", () => {
    const context = new DummyEntityContext();
    expect(context.functionName).toBe("dummyContextFunctionName");
    expect(context.invocationId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-1[0-9a-f]{3}-/);
    expect(context.df).toBeUndefined();
  });
});

describe("EntityStateResponse", () => {
  it("carries existence and state", () => {
    expect(new EntityStateResponse(true, { n: 1 })).toEqual({ entityExists: true, entityState: { n: 1 } });
    expect(new EntityStateResponse(false).entityState).toBeUndefined();
  });
});
