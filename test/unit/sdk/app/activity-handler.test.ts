/**
 * The activity wrapper and the ExceptionPropertiesProvider (protocol §4): an activity that
 * throws reaches the worker exactly as with durable-functions 3.5.0.
 */
import { InvocationContext, type FunctionHandler } from "@azure/functions";
import type * as Official from "durable-functions";
import { capturedFunctions, resetCapturedFunctions } from "../../../support/functions-core-capture";

jest.mock(
  "@azure/functions-core",
  () =>
    jest
      .requireActual<typeof import("../../../support/functions-core-capture")>(
        "../../../support/functions-core-capture",
      )
      .createFakeFunctionsCore(),
  { virtual: true },
);

type Provider = Official.ExceptionPropertiesProvider | undefined;
type Activity = (input: unknown, context: InvocationContext) => Promise<unknown>;

/** Registers `handler` as an activity with `provider` set, in a fresh copy of the package. */
function activityWith(
  packageName: "official" | "ours",
  provider: Provider,
  handler: FunctionHandler,
): Activity {
  resetCapturedFunctions();
  jest.isolateModules(() => {
    const df =
      packageName === "official"
        ? jest.requireActual<typeof Official>("durable-functions")
        : jest.requireActual<typeof import("../../../../src")>("../../../../src");
    df.app.setExceptionPropertiesProvider(provider);
    df.app.activity("Work", { handler });
  });
  return capturedFunctions()[0].callback as Activity;
}

interface Thrown {
  isError: boolean;
  name: unknown;
  /** The failure payload when the message is one, with the stack reduced to "is the error's stack". */
  message: unknown;
}

async function thrownBy(activity: Activity): Promise<Thrown> {
  try {
    await activity("input", new InvocationContext({ logHandler: () => undefined }));
  } catch (error) {
    const isError = error instanceof Error;
    const message = isError ? error.message : error;
    return { isError, name: isError ? error.name : undefined, message: describeMessage(message, error) };
  }
  throw new Error("the activity did not throw");
}

function describeMessage(message: unknown, error: unknown): unknown {
  if (typeof message !== "string" || !message.startsWith("{")) {
    return message;
  }
  const payload = JSON.parse(message) as Record<string, unknown>;
  if ("stackTrace" in payload) {
    payload.stackTrace =
      error instanceof Error && typeof error.stack === "string" ? "<the error's stack>" : payload.stackTrace;
  }
  return payload;
}

async function expectSameFailure(provider: Provider, makeError: () => unknown): Promise<Thrown> {
  const handler = (): never => {
    throw makeError();
  };
  const official = await thrownBy(activityWith("official", provider, handler));
  const ours = await thrownBy(activityWith("ours", provider, handler));
  expect(ours).toEqual(official);
  return ours;
}

const withCode: Official.ExceptionPropertiesProvider = {
  getExceptionProperties: (error) => ({ code: 42, kind: typeof error }),
};

class CodedError extends Error {
  constructor(
    message: string,
    readonly code: string,
  ) {
    super(message);
  }
}

describe("activity failures with an ExceptionPropertiesProvider", () => {
  it("without a provider the error is rethrown untouched", async () => {
    const error = new Error("plain");
    const activity = activityWith("ours", undefined, () => {
      throw error;
    });
    await expect(activity(1, new InvocationContext())).rejects.toBe(error);
    await expectSameFailure(undefined, () => new TypeError("plain"));
  });

  it("a provider returning undefined leaves the error alone", async () => {
    await expectSameFailure({ getExceptionProperties: () => undefined }, () => new Error("x"));
  });

  it("a provider's properties turn the message into the failure payload, on the same error object", async () => {
    const error = new CodedError("coded failure", "E42");
    const activity = activityWith(
      "ours",
      { getExceptionProperties: (e) => ({ code: (e as CodedError).code }) },
      () => {
        throw error;
      },
    );
    await expect(activity(1, new InvocationContext())).rejects.toBe(error);
    expect(JSON.parse(error.message)).toEqual({
      errorType: "Error",
      errorMessage: "coded failure",
      isNonRetriable: false,
      properties: { code: "E42" },
      stackTrace: expect.stringContaining("coded failure"),
    });
    await expectSameFailure(withCode, () => new CodedError("coded", "E1"));
  });

  it.each([
    ["a TypeError", () => new TypeError("bad type")],
    ["a string", () => "just text"],
    ["an object", () => ({ reason: "obj" })],
    ["undefined", () => undefined],
    ["a number", () => 7],
    ["an error without a name", () => Object.assign(new Error("nameless"), { name: undefined })],
    ["a frozen error", () => Object.freeze(new Error("frozen"))],
  ])("thrown %s", async (_label, makeError) => {
    await expectSameFailure(withCode, makeError);
  });

  it("a provider that throws, or properties that cannot be serialised, leave the error alone", async () => {
    await expectSameFailure(
      {
        getExceptionProperties: () => {
          throw new Error("provider bug");
        },
      },
      () => new Error("original"),
    );
    await expectSameFailure(
      { getExceptionProperties: () => ({ big: BigInt(1) }) },
      () => new Error("original"),
    );
  });

  it("successful activities return their value, sync or async", async () => {
    const sync = activityWith("ours", withCode, (input: unknown) => ({ echoed: input }));
    const async = activityWith("ours", withCode, async (input: unknown) => `async ${String(input)}`);
    await expect(sync("a", new InvocationContext())).resolves.toEqual({ echoed: "a" });
    await expect(async("b", new InvocationContext())).resolves.toBe("async b");
  });
});
