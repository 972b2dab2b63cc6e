/**
 * Runs the same DurableClient calls with durable-functions 3.5.0 and with durable-ts against a
 * RecordingServer, and reports what each sent and how each call ended.
 */
import { HttpResponse, InvocationContext, type FunctionInput } from "@azure/functions";
import * as official from "durable-functions";
import * as ours from "../../src";
import type { DurableClientBindingPayload } from "../../src/protocol";
import type { CannedResponse, RecordedRequest, RecordingServer, Responder } from "./recording-http-server";

/** Written against the official type: durable-ts clients must fit it. */
export type ClientCall = (client: official.DurableClient) => Promise<unknown> | unknown;

export interface SentRequest {
  method: string;
  url: string;
  body: string;
  contentType: string | undefined;
  continuationToken: string | undefined;
  traceparent: string | undefined;
}

export type Outcome = { value: unknown } | { error: string; errorType: string };

export interface Run {
  requests: SentRequest[];
  outcome: Outcome;
}

export function officialClient(binding: unknown): official.DurableClient {
  return official.getClient(contextWithBinding(official.input.durableClient(), binding));
}

export function ourClient(binding: unknown): official.DurableClient {
  const client: official.DurableClient = ours.getClient(
    contextWithBinding(ours.input.durableClient(), binding),
  );
  return client;
}

/** An invocation context whose function declares `input` and received `binding` for it. */
export function contextWithBinding(input: FunctionInput, binding: unknown): InvocationContext {
  const context = new InvocationContext({ options: { extraInputs: [input] }, logHandler: () => undefined });
  context.extraInputs.set(input, binding);
  return context;
}

export async function runBoth(
  server: RecordingServer,
  binding: DurableClientBindingPayload,
  call: ClientCall,
  responses: CannedResponse | CannedResponse[] | Responder,
): Promise<{ official: Run; ours: Run }> {
  const runWith = async (makeClient: (binding: unknown) => official.DurableClient): Promise<Run> => {
    server.clear();
    if (Array.isArray(responses)) {
      server.respondInSequence(responses);
    } else {
      server.respondWith(responses);
    }
    const outcome = await outcomeOf(() => call(makeClient(structuredClone(binding))));
    return { requests: server.requests.map(sentRequest), outcome };
  };
  return { official: await runWith(officialClient), ours: await runWith(ourClient) };
}

async function outcomeOf(call: () => Promise<unknown> | unknown): Promise<Outcome> {
  try {
    return { value: await comparable(await call()) };
  } catch (error) {
    return { error: (error as Error).message, errorType: (error as Error).constructor.name };
  }
}

/** Values as a caller observes them: responses by status, headers and body; objects by their JSON. */
export async function comparable(value: unknown): Promise<unknown> {
  if (value instanceof HttpResponse) {
    return { status: value.status, headers: [...value.headers.entries()], body: await value.text() };
  }
  return value === undefined ? undefined : (JSON.parse(JSON.stringify(value)) as unknown);
}

function sentRequest(request: RecordedRequest): SentRequest {
  return {
    method: request.method,
    url: request.url,
    body: request.body,
    contentType: request.headers["content-type"],
    continuationToken: request.headers["x-ms-continuation-token"] as string | undefined,
    traceparent: request.headers.traceparent as string | undefined,
  };
}
