/**
 * durable-functions 3.5.0 talks to the host through axios configured with a JSON content type.
 * These helpers reproduce what goes over the wire with it, so the host sees the same bytes.
 */

/**
 * The body axios sends for a string payload under a JSON content type: valid JSON text as is
 * (trimmed), anything else JSON-encoded. That is why `startNew` without input sends `""`.
 */
export function toRequestBody(data: string | undefined): string | undefined {
  if (data === undefined) {
    return undefined;
  }
  try {
    JSON.parse(data);
    return data.trim();
  } catch {
    return JSON.stringify(data);
  }
}

/** How axios reads a response body: parsed JSON when it parses, otherwise the raw text ("" if empty). */
export function fromResponseBody(text: string): unknown {
  if (!text) {
    return text;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
