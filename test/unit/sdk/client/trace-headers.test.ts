/**
 * startNew and signalEntity carry the caller's trace (W3C traceparent) when an OpenTelemetry span
 * is active, as durable-functions does; other calls never do.
 */
import {
  context,
  propagation,
  ROOT_CONTEXT,
  trace,
  type Context,
  type ContextManager,
  type TextMapPropagator,
} from "@opentelemetry/api";
import { EntityId } from "../../../../src";
import { runBoth, type ClientCall } from "../../../support/client-comparison";
import { durableClientBinding } from "../../../support/durable-client-binding";
import { RecordingServer } from "../../../support/recording-http-server";

/** Enough of a context manager for calls whose headers are computed synchronously. */
class StackContextManager implements ContextManager {
  private stack: Context[] = [ROOT_CONTEXT];
  active(): Context {
    return this.stack[this.stack.length - 1];
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    active: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    this.stack.push(active);
    try {
      return fn.call(thisArg, ...args);
    } finally {
      this.stack.pop();
    }
  }
  bind<T>(_context: Context, target: T): T {
    return target;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.stack = [ROOT_CONTEXT];
    return this;
  }
}

/** Writes traceparent from the active span, like the W3C propagator. */
const traceParentPropagator: TextMapPropagator = {
  inject(active, carrier, setter) {
    const span = trace.getSpan(active)?.spanContext();
    if (span) {
      setter.set(carrier, "traceparent", `00-${span.traceId}-${span.spanId}-0${span.traceFlags}`);
    }
  },
  extract: (active) => active,
  fields: () => ["traceparent"],
};

const span = trace.wrapSpanContext({
  traceId: "0af7651916cd43dd8448eb211c80319c",
  spanId: "b7ad6b7169203331",
  traceFlags: 1,
});
const inSpan =
  (call: ClientCall): ClientCall =>
  (client) =>
    context.with(trace.setSpan(context.active(), span), () => call(client));

let server: RecordingServer;

beforeAll(async () => {
  server = await RecordingServer.start();
  context.setGlobalContextManager(new StackContextManager());
  propagation.setGlobalPropagator(traceParentPropagator);
});

afterAll(async () => {
  context.disable();
  propagation.disable();
  await server.close();
});

describe("distributed tracing headers", () => {
  it.each([
    [
      "startNew",
      ((c) => c.startNew("Hello", { input: 1 })) as ClientCall,
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    ],
    [
      "signalEntity",
      ((c) => c.signalEntity(new EntityId("e", "k"), "op")) as ClientCall,
      "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    ],
    ["raiseEvent", ((c) => c.raiseEvent("abc", "E", 1)) as ClientCall, undefined],
  ])("%s inside an active span", async (_name, call, expected) => {
    const { official, ours } = await runBoth(server, durableClientBinding(server.origin), inSpan(call), {
      status: 202,
      body: { id: "x" },
    });
    expect(ours).toEqual(official);
    expect(ours.requests[0].traceparent).toBe(expected);
  });

  it("no span, no header", async () => {
    const { official, ours } = await runBoth(
      server,
      durableClientBinding(server.origin),
      (c) => c.startNew("Hello"),
      { status: 202, body: { id: "x" } },
    );
    expect(ours).toEqual(official);
    expect(ours.requests[0].traceparent).toBeUndefined();
  });
});
