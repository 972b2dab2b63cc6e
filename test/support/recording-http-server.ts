/**
 * A local HTTP server (127.0.0.1, random port) that records every request and answers with
 * canned responses, to check what a client sends and how it reacts to each answer.
 */
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  /** Path and query, as received. */
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface CannedResponse {
  status: number;
  headers?: Record<string, string>;
  /** Text is sent as is; anything else as its JSON. */
  body?: unknown;
}

export type Responder = (request: RecordedRequest, index: number) => CannedResponse;

export class RecordingServer {
  readonly requests: RecordedRequest[] = [];
  private responder: Responder = () => ({ status: 202 });

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<RecordingServer> {
    // The request handler needs the instance, which needs the server: fill it in after listen().
    const holder: { recording?: RecordingServer } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (chunk: Buffer) => chunks.push(chunk));
      req.on("end", () => {
        const request: RecordedRequest = {
          method: req.method ?? "",
          url: req.url ?? "",
          headers: req.headers,
          body: Buffer.concat(chunks).toString("utf8"),
        };
        const server = holder.recording as RecordingServer;
        server.requests.push(request);
        const canned = server.responder(request, server.requests.length - 1);
        const body =
          canned.body === undefined
            ? ""
            : typeof canned.body === "string"
              ? canned.body
              : JSON.stringify(canned.body);
        const headers: Record<string, string> = { ...canned.headers };
        if (body && !Object.keys(headers).some((name) => name.toLowerCase() === "content-type")) {
          headers["Content-Type"] = "application/json; charset=utf-8";
        }
        res.writeHead(canned.status, headers);
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    holder.recording = new RecordingServer(server, `http://127.0.0.1:${port}`);
    return holder.recording;
  }

  /** Answers every request with `response`, or asks `responder` per request. */
  respondWith(response: CannedResponse | Responder): void {
    this.responder = typeof response === "function" ? response : () => response;
  }

  /** Answers the requests in turn with `responses`; the last one repeats. */
  respondInSequence(responses: CannedResponse[]): void {
    let next = 0;
    this.respondWith(() => responses[Math.min(next++, responses.length - 1)]);
  }

  /** Forgets the recorded requests. */
  clear(): void {
    this.requests.length = 0;
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.server.close((error) => (error ? reject(error) : resolve())),
    );
  }
}
