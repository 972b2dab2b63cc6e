/** The transport seam: a DurableClient answered in-process behaves as one answered over HTTP. */
import { DurableClient } from "../../../../src/sdk/client/durable-client";
import {
  fetchTransport,
  getDefaultClientTransport,
  setDefaultClientTransport,
  type ClientRequest,
  type ClientTransport,
} from "../../../../src/sdk/client/transport";
import { ourClient } from "../../../support/client-comparison";
import { durableClientBinding, statusBody } from "../../../support/durable-client-binding";
import { RecordingServer } from "../../../support/recording-http-server";

/** Answers like the RecordingServer would, and records what it was asked. */
function inProcessTransport(
  answer: (request: ClientRequest) => { status: number; body?: unknown; headers?: Record<string, string> },
) {
  const requests: ClientRequest[] = [];
  const transport: ClientTransport = {
    async request(request) {
      requests.push(request);
      const { status, body, headers = {} } = answer(request);
      return { status, headers, body: body === undefined ? "" : JSON.stringify(body) };
    },
  };
  return { transport, requests };
}

describe("client transport", () => {
  let server: RecordingServer;
  beforeAll(async () => {
    server = await RecordingServer.start();
  });
  afterAll(() => server.close());

  it("an in-process transport gives the same results as HTTP", async () => {
    const binding = durableClientBinding(server.origin);
    const answer = (request: { method: string }) =>
      request.method === "GET"
        ? { status: 200, body: statusBody("Completed") }
        : { status: 202, body: { id: "new" } };
    server.respondWith(answer);
    const overHttp = new DurableClient(binding);
    const { transport, requests } = inProcessTransport(answer);
    const inProcess = new DurableClient(binding, transport);

    expect(await inProcess.startNew("Hello", { input: 1 })).toBe(
      await overHttp.startNew("Hello", { input: 1 }),
    );
    expect(await inProcess.getStatus("abc")).toEqual(await overHttp.getStatus("abc"));
    expect(requests.map(({ method, url, body }) => ({ method, url, body }))).toEqual([
      { method: "POST", url: `${server.origin}/durabletask/orchestrators/Hello`, body: "1" },
      { method: "GET", url: `${server.origin}/durabletask/instances/abc`, body: undefined },
    ]);
    expect(requests[0].headers).toEqual({ "Content-Type": "application/json" });
  });

  it("reads response header names in any case", async () => {
    let page = 0;
    const { transport } = inProcessTransport(() =>
      page++ === 0
        ? { status: 200, body: [1], headers: { "X-MS-Continuation-Token": "next" } }
        : { status: 200, body: [2] },
    );
    const client = new DurableClient(durableClientBinding("http://in-process"), transport);
    expect(await client.getStatusAll()).toEqual([1, 2]);
  });

  it("setDefaultClientTransport applies to clients from getClient; undefined restores fetch", async () => {
    const { transport, requests } = inProcessTransport(() => ({ status: 202 }));
    setDefaultClientTransport(transport);
    try {
      await ourClient(durableClientBinding("http://in-process")).raiseEvent("abc", "E", { a: 1 });
      expect(requests).toEqual([
        expect.objectContaining({
          method: "POST",
          url: "http://in-process/durabletask/instances/abc/raiseEvent/E",
          body: '{"a":1}',
        }),
      ]);
    } finally {
      setDefaultClientTransport(undefined);
    }
    expect(getDefaultClientTransport()).toBe(fetchTransport);
  });
});
