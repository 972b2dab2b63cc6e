/**
 * The same entity function and the same entityTrigger batch (protocol §5.2) through
 * durable-functions 3.5.0 and through durable-ts give the same batch result (§5.3), timings aside.
 */
import type { EntityBatchOperation, EntityBatchRequest } from "../../src/protocol";
import { EntityId } from "../../src/sdk/entity-id";
import type { EntityContext, EntityHandler } from "../../src/sdk/entity";
import {
  entityInvocationContext,
  registerEntityBothWays,
  wireFormWithoutTimings,
} from "../support/entity-functions";

jest.mock(
  "@azure/functions-core",
  () =>
    jest
      .requireActual<typeof import("../support/functions-core-capture")>("../support/functions-core-capture")
      .createFakeFunctionsCore(),
  { virtual: true },
);

function op(name: string, input?: unknown, extra: Partial<EntityBatchOperation> = {}): EntityBatchOperation {
  return { name, input: input === undefined ? null : JSON.stringify(input), isSignal: false, ...extra };
}

function batch(
  operations: EntityBatchOperation[],
  state?: unknown,
  self = { name: "counter", key: "k" },
): EntityBatchRequest {
  return {
    self,
    exists: state !== undefined,
    state: state === undefined ? null : JSON.stringify(state),
    batch: operations,
  };
}

/** Runs both packages on copies of the trigger and checks that their results agree. */
async function expectSameResult(handler: EntityHandler<unknown>, trigger: unknown): Promise<unknown> {
  const { official, ours } = registerEntityBothWays(handler);
  const officialResult = await official(structuredClone(trigger), entityInvocationContext());
  const ourResult = await ours(structuredClone(trigger), entityInvocationContext());
  expect(wireFormWithoutTimings(ourResult)).toStrictEqual(wireFormWithoutTimings(officialResult));
  return wireFormWithoutTimings(ourResult);
}

const counter: EntityHandler<unknown> = (context) => {
  const df = (context as EntityContext<number>).df;
  switch (df.operationName) {
    case "add":
      df.setState((df.getState(() => 0) ?? 0) + (df.getInput<number>() ?? 0));
      break;
    case "get":
      df.return(df.getState(() => 0));
      break;
    case "reset":
      df.setState(0);
      break;
    case "delete":
      df.destructOnExit();
      break;
    default:
      throw new Error(`unknown operation ${df.operationName}`);
  }
};

describe("entity batches: durable-ts matches durable-functions 3.5.0", () => {
  it("counter add, get, reset and delete on an existing entity", async () => {
    const result = await expectSameResult(
      counter,
      batch([op("add", 2), op("get"), op("reset"), op("get"), op("add", 3), op("delete")], 5),
    );
    expect(result).toMatchObject({ entityExists: false });
    expect(result).not.toHaveProperty("entityState");
  });

  it("getState with an initializer on an entity that does not exist yet", async () => {
    const result = await expectSameResult(counter, batch([op("get")]));
    // return() marks the entity as existing even though no state was ever set.
    expect(result).toMatchObject({ entityExists: true, results: [{ isError: false, result: "0" }] });
  });

  it("operations on a non-existent entity: state is created by setState", async () => {
    await expectSameResult(counter, batch([op("add", 4), op("add", 1), op("get")]));
  });

  it("getState without initializer, setState with objects, arrays, null and undefined", async () => {
    await expectSameResult(
      (context) => {
        const df = context.df;
        const before = df.getState();
        switch (df.operationName) {
          case "object":
            df.setState({ nested: { list: [1, 2] }, before });
            break;
          case "array":
            df.setState([before, "x"]);
            break;
          case "null":
            df.setState(null);
            break;
          case "undefined":
            df.setState(undefined);
            break;
        }
        df.return(before);
      },
      batch([op("object"), op("array"), op("null"), op("array"), op("undefined"), op("object")], { a: 1 }),
    );
  });

  it("destructOnExit deletes the state at once; later operations of the batch recreate it", async () => {
    const result = await expectSameResult(
      (context) => {
        const df = context.df;
        if (df.operationName === "delete") {
          df.destructOnExit();
          df.return(df.getState());
        } else {
          df.return({ isNew: df.isNewlyConstructed, state: df.getState() });
          df.setState("fresh");
        }
      },
      batch([op("peek"), op("delete"), op("peek"), op("delete")], "old"),
    );
    // return() after destructOnExit() marks the entity as existing again, with no state.
    expect(result).toMatchObject({ entityExists: true });
    expect(result).not.toHaveProperty("entityState");
  });

  it("return values of every JSON kind, none, and return called twice", async () => {
    await expectSameResult(
      (context) => {
        const df = context.df;
        switch (df.operationName) {
          case "string":
            df.return("text");
            break;
          case "zero":
            df.return(0);
            break;
          case "null":
            df.return(null);
            break;
          case "undefined":
            df.return(undefined);
            break;
          case "object":
            df.return({ a: [1, { b: true }] });
            break;
          case "twice":
            df.return(1);
            df.return(2);
            break;
        }
      },
      batch([
        op("string"),
        op("zero"),
        op("null"),
        op("undefined"),
        op("object"),
        op("none"),
        op("twice"),
        op("string"),
      ]),
    );
  });

  it("thrown errors: Error, string, object, undefined, after setState (no rollback) and after return", async () => {
    const result = await expectSameResult(
      (context) => {
        const df = context.df;
        switch (df.operationName) {
          case "error":
            throw new Error("boom");
          case "string":
            throw "plain string";
          case "object":
            throw { code: 42 };
          case "undefined":
            throw undefined;
          case "afterSet":
            df.setState("changed");
            throw new TypeError("after set");
          case "afterReturn":
            df.return("partial");
            throw new Error("after return");
        }
      },
      batch(
        [op("error"), op("string"), op("object"), op("undefined"), op("afterSet"), op("afterReturn")],
        "s",
      ),
    );
    expect(result).toMatchObject({ entityState: '"changed"' });
    expect((result as { results: unknown[] }).results[0]).toMatchObject({ isError: true, result: "{}" });
  });

  it("signalEntity to other entities, with and without input, as written by the user", async () => {
    const result = await expectSameResult(
      (context) => {
        const df = context.df;
        df.signalEntity(new EntityId("Other", "Key1"), "ping", { a: 1 });
        df.signalEntity({ name: "Plain", key: "k" } as EntityId, "noInput");
        df.signalEntity(new EntityId("Other", "k"), "zero", 0);
        df.signalEntity(new EntityId("Other", "k"), "emptyString", "");
        df.signalEntity(new EntityId("Other", "k"), "text", "hello");
        df.signalEntity(df.entityId, "self", [1]);
      },
      batch([op("first", undefined, { id: "request-guid" }), op("second")], 1),
    );
    expect(result).toMatchObject({
      signals: expect.arrayContaining([
        {
          target: { name: "Other", key: "Key1" },
          name: "ping",
          input: '{"a":1}',
          requestId: "request-guid",
          requestTime: "<time>",
        },
      ]),
    });
  });

  it("getInput with and without input, and the operation's identity", async () => {
    await expectSameResult(
      (context) => {
        const df = context.df;
        df.return({
          input: df.getInput(),
          name: df.entityName,
          key: df.entityKey,
          id: df.entityId,
          operation: df.operationName,
          isNew: df.isNewlyConstructed,
        });
      },
      batch(
        [
          op("withObject", { x: 1 }),
          op("withString", "abc"),
          op("withZero", 0),
          op("without"),
          { name: "emptyInput", input: "", isSignal: true },
        ],
        undefined,
        { name: "counter", key: "Mixed@Case" },
      ),
    );
  });

  it("an input that is not JSON fails the operation only", async () => {
    await expectSameResult(
      (context) => {
        context.df.return(context.df.getInput());
      },
      batch([{ name: "bad", input: "{not json", isSignal: false }, op("good", 1)]),
    );
  });

  it("async handlers are awaited", async () => {
    await expectSameResult(
      (async (context: EntityContext<unknown>) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        context.df.setState(context.df.getInput());
        if (context.df.operationName === "fail") {
          throw new Error("async failure");
        }
      }) as EntityHandler<unknown>,
      batch([op("set", 1), op("fail", 2), op("set", 3)]),
    );
  });

  it("an empty batch echoes the state", async () => {
    await expectSameResult(counter, batch([], 7));
  });

  it("a trigger with no state field leaves entityState out", async () => {
    await expectSameResult(counter, {
      self: { name: "counter", key: "k" },
      exists: false,
      batch: [op("add", 1)],
    });
  });

  it("rejects a trigger without self, exists or batch", async () => {
    const { official, ours } = registerEntityBothWays(counter);
    const trigger = { self: { name: "counter", key: "k" }, exists: true };
    const officialError = await official(trigger, entityInvocationContext()).catch((error: Error) => error);
    const ourError = await ours(trigger, entityInvocationContext()).catch((error: Error) => error);
    expect(ourError).toBeInstanceOf(Error);
    expect((ourError as Error).message).toBe((officialError as Error).message);
  });
});
