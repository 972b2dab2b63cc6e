import type { HttpResponseInit } from "@azure/functions";

/**
 * The answer for a durable client call the host refused, or undefined for any other error.
 * The client reports a refusal as an Error whose message holds the host's status and answer
 * ("...unexpected status code: 409. Details: {...}"). A 4xx means the caller asked for
 * something that cannot be done (an unknown orchestrator, an instance id in use, a key the
 * host does not accept), so the caller gets the same status and the host's reason; so does an
 * input the client cannot serialise.
 */
export function refusedCall(error: unknown): HttpResponseInit | undefined {
  // JSON.stringify's: an input nested too deeply for the client to send.
  if (error instanceof RangeError) {
    return { status: 400, jsonBody: { error: `The input cannot be sent: ${error.message}.` } };
  }
  const message = error instanceof Error ? error.message : "";
  const match = /status code: (4\d\d)\. Details: (.*)$/s.exec(message);
  if (!match) return undefined;
  return { status: Number(match[1]), jsonBody: { error: reasonOf(match[2]) } };
}

/** The host answers `{"Message": ..., "ExceptionMessage"?: ...}` or a JSON string. */
function reasonOf(details: string): string {
  try {
    const body: unknown = JSON.parse(details);
    if (typeof body === "string") return body;
    if (typeof body === "object" && body !== null) {
      const { Message, ExceptionMessage } = body as { Message?: unknown; ExceptionMessage?: unknown };
      const reason = ExceptionMessage ?? Message;
      if (typeof reason === "string") return reason;
    }
  } catch {
    // Not JSON: say what the client said.
  }
  return details;
}
