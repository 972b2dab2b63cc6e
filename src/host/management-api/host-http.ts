/** One HTTP request as the host hands it to the management API, independent of any server framework. */
export interface HostRequest {
  method: string;
  /** Absolute: the request's origin, path and query. */
  url: URL;
  /** Lower-case names. */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /**
   * The peer's IP address. Only loopback peers may skip the system key, so a host that sets a
   * key must pass it; without it every request needs the key.
   */
  remoteAddress?: string;
}

export interface HostResponse {
  status: number;
  headers: Record<string, string>;
  /** Absent for responses without a body (they carry no Content-Type either). */
  body?: string | Buffer;
}

/** What the extension's Newtonsoft responses declare. */
export const JSON_CONTENT_TYPE = "application/json; charset=utf-8";

export function jsonResponse(
  status: number,
  value: unknown,
  headers: Record<string, string> = {},
): HostResponse {
  return {
    status,
    headers: { "Content-Type": JSON_CONTENT_TYPE, ...headers },
    body: JSON.stringify(value) ?? "null",
  };
}

export function emptyResponse(status: number, headers: Record<string, string> = {}): HostResponse {
  return { status, headers };
}
