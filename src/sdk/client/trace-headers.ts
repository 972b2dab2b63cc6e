import { createRequire } from "node:module";

/** The part of @opentelemetry/api used to propagate the caller's trace to the host. */
interface OpenTelemetryApi {
  context: { active(): unknown };
  trace: { getSpan(context: unknown): unknown };
  propagation: { inject(context: unknown, carrier: Record<string, string>): void };
}

let openTelemetry: OpenTelemetryApi | null | undefined;

/**
 * W3C trace headers (traceparent, tracestate) of the active span, as durable-functions sends them
 * on startNew and signalEntity. @opentelemetry/api is optional: when the app does not have it,
 * there is no span to propagate.
 */
export function distributedTracingHeaders(): Record<string, string> {
  const headers: Record<string, string> = {};
  const api = loadOpenTelemetry();
  if (api) {
    const active = api.context.active();
    if (api.trace.getSpan(active)) {
      api.propagation.inject(active, headers);
    }
  }
  return headers;
}

function loadOpenTelemetry(): OpenTelemetryApi | null {
  if (openTelemetry === undefined) {
    try {
      openTelemetry = createRequire(__filename)("@opentelemetry/api") as OpenTelemetryApi;
    } catch {
      openTelemetry = null;
    }
  }
  return openTelemetry;
}
