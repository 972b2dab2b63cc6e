/** Sends fuzz requests exactly as generated: node:http for valid HTTP, a bare socket for the rest. */
import { request } from "node:http";
import { connect } from "node:net";

export interface FuzzAnswer {
  status: number;
  /** Headers and body as text, to search for what must never be in an answer. */
  text: string;
  body: string;
  elapsedMs: number;
}

/** Answers with status 0 when the connection failed and -1 when no answer came in `timeoutMs`. */
export function send(
  port: number,
  method: string,
  target: string,
  headers: Record<string, string>,
  body: Buffer | undefined,
  timeoutMs: number,
): Promise<FuzzAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const finish = (status: number, text: string, responseBody: string): void => {
      clearTimeout(timer);
      resolve({ status, text, body: responseBody, elapsedMs: Date.now() - started });
    };
    const outgoing = request(
      { host: "127.0.0.1", port, method, path: target, headers, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => {
          const responseBody = Buffer.concat(chunks).toString("utf8");
          finish(
            response.statusCode ?? 0,
            `${JSON.stringify(response.headers)}\n${responseBody}`,
            responseBody,
          );
        });
        response.on("error", (error) => finish(0, String(error), ""));
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy();
      finish(-1, "", "");
    }, timeoutMs);
    outgoing.on("error", (error) => finish(0, String(error), ""));
    outgoing.end(body);
  });
}

/** Writes `bytes` to a socket and reads the answer until the server closes or `timeoutMs` passes. */
export function sendRaw(port: number, bytes: Buffer, timeoutMs: number): Promise<FuzzAnswer> {
  const started = Date.now();
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(port, "127.0.0.1");
    const finish = (): void => {
      clearTimeout(timer);
      socket.destroy();
      const text = Buffer.concat(chunks).toString("utf8");
      const match = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      const split = text.indexOf("\r\n\r\n");
      resolve({
        status: match ? Number(match[1]) : chunks.length === 0 ? 0 : -2,
        text,
        body: split >= 0 ? text.slice(split + 4) : "",
        elapsedMs: Date.now() - started,
      });
    };
    const timer = setTimeout(finish, timeoutMs);
    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      // One answer is all a request gets: stop once its body is complete.
      const text = Buffer.concat(chunks).toString("latin1");
      const split = text.indexOf("\r\n\r\n");
      const length = /\r\ncontent-length: (\d+)/i.exec(text);
      if (split >= 0 && length && text.length - split - 4 >= Number(length[1])) finish();
    });
    socket.on("end", finish);
    socket.on("error", finish);
    socket.write(bytes);
  });
}
