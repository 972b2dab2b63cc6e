/** One HTTP request of the client. */
export interface ClientRequest {
  method: "GET" | "POST" | "DELETE";
  /** Absolute URL. */
  url: string;
  /** Request headers; names as sent. */
  headers: Record<string, string>;
  /** Raw body text; absent for requests without a body. */
  body?: string;
}

/** The answer to a ClientRequest. */
export interface ClientResponse {
  status: number;
  /** Response headers with lower-case names. */
  headers: Record<string, string>;
  /** Raw body text; "" when there is none. */
  body: string;
}

/**
 * How DurableClient reaches the host's management API. The default goes over HTTP with fetch;
 * a host running in the same process can answer the same requests directly, with the same
 * status codes and bodies, and the client behaves identically.
 */
export interface ClientTransport {
  request(request: ClientRequest): Promise<ClientResponse>;
}

/** Sends requests with Node's global fetch. Any status code is a response, never an error. */
export const fetchTransport: ClientTransport = {
  async request({ method, url, headers, body }) {
    const response = await fetch(url, { method, headers, body });
    const responseHeaders: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      responseHeaders[name.toLowerCase()] = value;
    });
    return { status: response.status, headers: responseHeaders, body: await response.text() };
  },
};

let defaultTransport: ClientTransport = fetchTransport;

/**
 * Replaces the transport of clients created from now on without an explicit one (what `getClient`
 * and the `app.client.*` handlers create). `undefined` restores fetch.
 */
export function setDefaultClientTransport(transport: ClientTransport | undefined): void {
  defaultTransport = transport ?? fetchTransport;
}

export function getDefaultClientTransport(): ClientTransport {
  return defaultTransport;
}
