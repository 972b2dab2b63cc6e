import {
  createServer,
  maxHeaderSize,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from "node:http";
import type { Duplex } from "node:stream";
import type { AddressInfo } from "node:net";
import type { CorsSettings } from "../config";
import type { HostRequest, HostResponse } from "../management-api";

/** One handler in the chain; undefined passes the request on. */
export type RequestHandler = (request: HostRequest) => Promise<HostResponse | undefined>;

const MAX_BODY_BYTES = 100 * 1024 * 1024;
/** The longest path and query answered, as Kestrel (the Functions host's server) limits its request line. */
const MAX_REQUEST_TARGET_LENGTH = 8 * 1024;

/**
 * The host's HTTP listener: reads each request whole, asks the handlers in turn, answers 404
 * when none takes it, and never lets a handler's failure take the process down.
 */
export class HostServer {
  private readonly server: Server;
  private readonly sockets = new Set<import("node:net").Socket>();

  constructor(
    private readonly handlers: readonly RequestHandler[],
    private readonly cors: CorsSettings,
    private readonly onError: (error: unknown) => void,
  ) {
    this.server = createServer((req, res) => void this.serve(req, res));
    this.server.on("clientError", answerMalformedRequest);
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
    });
  }

  listen(port: number, host: string): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(port, host, () => {
        this.server.off("error", reject);
        resolve((this.server.address() as AddressInfo).port);
      });
    });
  }

  /** Stops accepting connections and closes idle ones; requests in flight finish first. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeIdleConnections();
    const force = setTimeout(() => {
      for (const socket of this.sockets) socket.destroy();
    }, 5000);
    force.unref();
    await closed;
    clearTimeout(force);
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let response: HostResponse;
    try {
      const request = await readRequest(req);
      const targetLength = (req.url ?? "").length;
      if (targetLength > MAX_REQUEST_TARGET_LENGTH) {
        throw new RequestRefusal(
          414,
          `The URL's path and query are ${targetLength} characters long; at most ` +
            `${MAX_REQUEST_TARGET_LENGTH} are accepted. Send long values in the request body.`,
        );
      }
      const preflight = this.preflight(request);
      response = preflight ?? (await this.dispatch(request)) ?? { status: 404, headers: {} };
      response = { ...response, headers: { ...response.headers, ...this.corsHeaders(request) } };
    } catch (error) {
      if (error instanceof RequestRefusal) {
        response = jsonError(error.status, error.message);
      } else {
        this.onError(error);
        response = jsonError(500, "Something went wrong while processing your request");
      }
    }
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  }

  private async dispatch(request: HostRequest): Promise<HostResponse | undefined> {
    for (const handler of this.handlers) {
      const response = await handler(request);
      if (response) return response;
    }
    return undefined;
  }

  private preflight(request: HostRequest): HostResponse | undefined {
    if (request.method !== "OPTIONS" || !request.headers["access-control-request-method"]) return undefined;
    if (Object.keys(this.corsHeaders(request)).length === 0) return undefined;
    return {
      status: 204,
      headers: {
        "access-control-allow-methods": "GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS",
        "access-control-allow-headers": request.headers["access-control-request-headers"] ?? "*",
        "access-control-max-age": "600",
      },
    };
  }

  /** Host.CORS of local.settings.json, as Core Tools applies it. */
  private corsHeaders(request: HostRequest): Record<string, string> {
    const origin = request.headers.origin;
    const { allowedOrigins, allowCredentials } = this.cors;
    if (!origin || allowedOrigins.length === 0) return {};
    const any = allowedOrigins.includes("*");
    if (!any && !allowedOrigins.includes(origin)) return {};
    const headers: Record<string, string> = {
      "access-control-allow-origin": any && !allowCredentials ? "*" : origin,
    };
    if (allowCredentials) headers["access-control-allow-credentials"] = "true";
    if (!any || allowCredentials) headers.vary = "Origin";
    return headers;
  }
}

/** A request refused before any handler sees it, with its status. */
class RequestRefusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/**
 * What node's parser could not read gets a status and a message that says what to fix, where
 * node alone would answer with a bare status line.
 */
function answerMalformedRequest(error: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || error.code === "ECONNRESET") {
    socket.destroy();
    return;
  }
  const [status, reason, message] =
    error.code === "HPE_HEADER_OVERFLOW"
      ? [
          431,
          "Request Header Fields Too Large",
          `The request's headers and URL are over ${maxHeaderSize} bytes; send fewer or shorter headers.`,
        ]
      : error.code === "ERR_HTTP_REQUEST_TIMEOUT" || error.code === "HPE_HEADERS_TIMEOUT"
        ? [408, "Request Timeout", "The request did not arrive in time."]
        : [400, "Bad Request", `The request is not valid HTTP/1.1 (${error.code ?? error.message}).`];
  const body = JSON.stringify({ Message: message });
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

async function readRequest(req: IncomingMessage): Promise<HostRequest> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES)
      throw new RequestRefusal(413, `Request bodies are limited to ${MAX_BODY_BYTES} bytes.`);
    chunks.push(chunk as Buffer);
  }
  const headers: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    headers[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  const host = headers.host ?? "localhost";
  return {
    method: (req.method ?? "GET").toUpperCase(),
    url: new URL(req.url ?? "/", `http://${host}`),
    headers,
    body: Buffer.concat(chunks),
    remoteAddress: req.socket.remoteAddress,
  };
}

function jsonError(status: number, message: string): HostResponse {
  return {
    status,
    headers: { "content-type": "application/json; charset=utf-8" },
    body: JSON.stringify({ Message: message }),
  };
}
