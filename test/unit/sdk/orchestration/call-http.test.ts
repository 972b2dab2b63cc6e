import { ActionType, SchemaVersion } from "../../../../src/protocol";
import { DurableHttpResponse } from "../../../../src/sdk/http/durable-http-response";
import { ManagedIdentityTokenSource } from "../../../../src/sdk/http/managed-identity-token-source";
import { HistoryBuilder, replay, replayFailure, started, type Orchestrator } from "./helpers";

const START = new HistoryBuilder().time;
const at = (ms: number): Date => new Date(START.getTime() + ms);
const HTTP = "BuiltIn::HttpActivity";

const get: Orchestrator = function* (context) {
  const response = (yield context.df.callHttp({
    method: "GET",
    url: "https://example.com/job",
  })) as DurableHttpResponse;
  return [response instanceof DurableHttpResponse, response.statusCode, response.content];
};

describe("callHttp", () => {
  it("sends the request, with an object body as JSON text and the token source", async () => {
    const state = await replay(function* (context) {
      yield context.df.callHttp({
        method: "POST",
        url: "https://example.com",
        body: { a: 1 },
        headers: { h: "v" },
        tokenSource: new ManagedIdentityTokenSource("https://management.core.windows.net/.default"),
      });
    }, started());
    expect(state.actions[0]).toEqual([
      {
        httpRequest: {
          method: "POST",
          uri: "https://example.com",
          content: '{"a":1}',
          headers: { h: "v" },
          tokenSource: {
            resource: "https://management.core.windows.net/.default",
            kind: "AzureManagedIdentity",
          },
          asynchronousPatternEnabled: true,
        },
        actionType: ActionType.CallHttp,
      },
    ]);
  });

  it("polls a 202 with Location: a timer after Retry-After, then the same request again", async () => {
    const afterFirst = started()
      .taskScheduled(0, HTTP)
      .orchestratorCompleted()
      .episode()
      .taskCompleted(0, {
        statusCode: 202,
        headers: { Location: "https://example.com/status", "Retry-After": "10" },
      });
    const waiting = await replay(get, afterFirst);
    expect(waiting.isDone).toBe(false);
    expect(waiting.actions[0]).toHaveLength(1); // polling adds no actions; the host mirrors it
    const done = await replay(
      get,
      afterFirst
        .timerCreated(1, at(11_000))
        .orchestratorCompleted()
        .episode(0, at(11_000))
        .timerFired(1, at(11_000))
        .taskScheduled(2, HTTP)
        .orchestratorCompleted()
        .episode()
        .taskCompleted(2, { statusCode: 200, content: "finished" }),
    );
    expect(done.output).toEqual([true, 200, "finished"]);
  });

  it("returns a 202 as is when polling is off, or below schema V3", async () => {
    const noPolling: Orchestrator = function* (context) {
      return yield context.df.callHttp({ method: "GET", url: "https://x", enablePolling: false });
    };
    const history = () =>
      started()
        .taskScheduled(0, HTTP)
        .orchestratorCompleted()
        .episode()
        .taskCompleted(0, { statusCode: 202, headers: { Location: "l" } });
    expect((await replay(noPolling, history())).output).toEqual({
      statusCode: 202,
      headers: { Location: "l" },
    });
    expect((await replay(get, history(), { schema: SchemaVersion.V2 })).output).toEqual([false, 202, null]);
  });

  it("needs the polling interval in the trigger from V3 on", async () => {
    const { state } = await replayFailure(get, started(), { defaultHttpAsyncRequestSleepTimeMillseconds: 0 });
    expect(state.error).toContain("`defaultHttpAsyncRequestSleepDuration` property is not defined");
  });

  it("finds headers whatever their case", () => {
    const response = new DurableHttpResponse(200, "", { "Content-Type": "a", "set-cookie": ["x", "y"] });
    expect(response.getHeader("content-type")).toBe("a");
    expect(response.getHeader("SET-COOKIE")).toEqual(["x", "y"]);
    expect(response.getHeader("missing")).toBeUndefined();
  });
});
