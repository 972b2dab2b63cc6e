/**
 * Odd but valid JSON values, each as the JSON text a client sends, and the functions that carry
 * a value through every path an app can put one on. `round-trip.test.ts` runs them on each task
 * hub; the host test sends some of them over HTTP.
 */
import type * as DurableFunctions from "durable-functions";
import type { EntityContext, OrchestrationContext } from "durable-functions";

export interface OddValue {
  name: string;
  /** The JSON text as a client would send it. */
  json: string;
  /**
   * Deeper than JavaScript's JSON.stringify can follow (it recurses; Node's stack ends near
   * 5,000 levels): app code that hands the value back fails, with the official SDK as with ours.
   */
  tooDeepForJavaScript?: true;
}

const DEEP = 10_000;
const ALL_CONTROL_CHARACTERS = String.fromCharCode(...Array.from({ length: 0x20 }, (_, code) => code));

/** 64 levels, objects and arrays in turn, with odd characters at the bottom. */
function sixtyFourLevels(): string {
  let json = JSON.stringify("\u0000\u2028");
  for (let level = 0; level < 64; level++) json = level % 2 === 0 ? `[${json}]` : `{"l${level}":${json}}`;
  return json;
}

export const ODD_VALUES: readonly OddValue[] = [
  { name: "control characters", json: JSON.stringify(`${ALL_CONTROL_CHARACTERS}\u007f\u0080\u0085\u009f`) },
  { name: "U+0000 alone", json: '"\\u0000"' },
  { name: "lone surrogates, escaped", json: '["\\ud800","\\udfff","a\\ud800b","\\udc00\\ud800"]' },
  { name: "a lone surrogate, raw in the JSON text", json: '"x\ud800y"' },
  { name: "U+2028 and U+2029", json: JSON.stringify({ "\u2028key": "\u2028\u2029", list: ["\u2029"] }) },
  {
    name: "U+FFFE, U+FFFF and other noncharacters",
    json: JSON.stringify(["\ufffe", "\uffff", "\ufeff", "\ufdd0"]),
  },
  {
    name: "every odd character in one string",
    json: JSON.stringify(`${ALL_CONTROL_CHARACTERS}\u2028\u2029\ufffe\uffff\ud83d\ude00<&>"'\\`),
  },
  { name: "64-level nesting", json: sixtyFourLevels() },
  {
    name: "10,000-level nesting",
    json: `${"[".repeat(DEEP)}"\\u2028"${"]".repeat(DEEP)}`,
    tooDeepForJavaScript: true,
  },
  { name: "a 100,000-character key", json: `{"${"k".repeat(100_000)}":"\u2028"}` },
  {
    name: "__proto__ and constructor keys",
    json: '{"__proto__":{"polluted":true},"constructor":{"prototype":{"x":1}},"nested":[{"__proto__":null}]}',
  },
  {
    name: "numbers at the edges of float64",
    json:
      "[1.7976931348623157e308,-1.7976931348623157e308,5e-324,-5e-324,2.2250738585072014e-308," +
      "9007199254740991,-9007199254740991,9007199254740993,2.220446049250313e-16,1e21,1e-7,0.1,0]",
  },
  {
    name: "a 200,000-character string of odd characters",
    json: JSON.stringify("\u2028\ufffe\u0000😀".repeat(40_000)),
  },
  { name: "empty string and containers", json: '["",{},[],{"":""}]' },
  { name: "a bare false", json: "false" },
];

/** The value a client sent, parsed as every reader parses it. */
export function parsed(value: OddValue): unknown {
  return JSON.parse(value.json);
}

type DurableModule = typeof DurableFunctions;

interface ContinueInput {
  again: boolean;
  value: unknown;
}

export function registerRoundTripFunctions(df: DurableModule): void {
  df.app.activity("RtEcho", { handler: (value: unknown) => value });
  df.app.orchestration("RtReturnInput", function* (context: OrchestrationContext) {
    yield* [];
    return context.df.getInput();
  });
  df.app.orchestration("RtActivity", function* (context: OrchestrationContext) {
    return yield context.df.callActivity("RtEcho", context.df.getInput());
  });
  df.app.orchestration("RtEvent", function* (context: OrchestrationContext) {
    return yield context.df.waitForExternalEvent("Value");
  });
  df.app.orchestration("RtSubOrchestration", function* (context: OrchestrationContext) {
    return yield context.df.callSubOrchestrator("RtReturnInput", context.df.getInput());
  });
  df.app.orchestration("RtContinueAsNew", function* (context: OrchestrationContext) {
    yield* [];
    const input = context.df.getInput<ContinueInput>();
    if (input.again) {
      context.df.continueAsNew({ again: false, value: input.value });
      return undefined;
    }
    return input.value;
  });
  df.app.orchestration("RtCustomStatus", function* (context: OrchestrationContext) {
    yield* [];
    context.df.setCustomStatus(context.df.getInput());
    return "done";
  });
  df.app.entity("RtStore", (context: EntityContext<unknown>) => {
    if (context.df.operationName === "set") context.df.setState(context.df.getInput());
    else context.df.return(context.df.getState());
  });
  df.app.orchestration("RtEntity", function* (context: OrchestrationContext) {
    const store = new df.EntityId("RtStore", context.df.instanceId);
    yield context.df.callEntity(store, "set", context.df.getInput());
    return yield context.df.callEntity(store, "get");
  });
  df.app.orchestration("RtWaitForever", function* (context: OrchestrationContext) {
    yield context.df.waitForExternalEvent("Never");
  });
}
