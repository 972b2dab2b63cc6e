import type { FunctionApp } from "../../../src/host/functions-worker/function-app";
import type { HostHttpRequest } from "../../../src/host/functions-worker/invocation-types";
import { fixtureModule, loadFixture, type LoggedLine } from "./load-fixture";

jest.mock(
  "@azure/functions-core",
  () =>
    jest
      .requireActual<typeof import("../../../src/host/functions-worker/functions-core")>(
        "../../../src/host/functions-worker/functions-core",
      )
      .functionsCoreModule(),
  { virtual: true },
);

let app: FunctionApp;
let logs: LoggedLine[];
let events: string[];

beforeAll(async () => {
  ({ app, logs } = await loadFixture("http-app"));
  events = fixtureModule<{ events: string[] }>("http-app/index.js").events;
});

function request(init: Partial<HostHttpRequest> & { url: string }): HostHttpRequest {
  return { method: "GET", headers: {}, ...init };
}

describe("the functions of an app", () => {
  it("lists each function with its trigger and every binding's options", () => {
    expect(app.functions.map((fn) => fn.name)).toEqual(["Hello", "Echo", "Fail", "HookReport", "Tick"]);
    const hello = app.functions[0];
    expect(hello.trigger).toMatchObject({
      type: "httpTrigger",
      direction: "in",
      route: "hello/{name}",
      methods: ["GET"],
      authLevel: "function",
    });
    expect(hello.bindings).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "$return", type: "http", direction: "out" }),
        expect.objectContaining({ name: hello.trigger.name, type: "httpTrigger" }),
      ]),
    );
    expect(app.functions.find((fn) => fn.name === "Tick")?.trigger).toMatchObject({
      type: "timerTrigger",
      schedule: "0 */5 * * * *",
    });
  });

  it("refuses a function name it does not have", async () => {
    await expect(
      app.invoke("Nope", { trigger: { kind: "value", value: "", dataType: "string" } }),
    ).rejects.toThrow('The app has no function named "Nope".');
  });
});

describe("an HTTP trigger", () => {
  it("hands the function route parameters and query, and returns its status, headers, body and cookies", async () => {
    const result = await app.invoke("hello", {
      trigger: {
        kind: "http",
        request: request({
          url: "http://localhost:7071/api/hello/Ada?punctuation=!",
          query: { punctuation: "!" },
          params: { name: "Ada" },
        }),
      },
    });
    expect(result.http?.status).toBe(200);
    expect(result.http?.headers).toMatchObject({ "x-greeting": "yes" });
    expect(String(result.http?.body)).toBe("Hello, Ada!");
    expect(result.http?.cookies).toEqual([{ name: "seen", value: "1", httpOnly: true, sameSite: "Lax" }]);
    expect(result.returnValue).toBe(result.http);
    expect(logs).toContainEqual({
      level: "information",
      functionName: "Hello",
      message: "Greeting Ada",
      category: "user",
    });
  });

  it("reads the query from the URL when the host gives none", async () => {
    const result = await app.invoke("Hello", {
      trigger: {
        kind: "http",
        request: request({ url: "http://localhost:7071/api/hello/Bo?punctuation=?", params: { name: "Bo" } }),
      },
    });
    expect(String(result.http?.body)).toBe("Hello, Bo?");
  });

  it("hands a POST's JSON body to the function and returns its JSON response", async () => {
    const result = await app.invoke("Echo", {
      trigger: {
        kind: "http",
        request: request({
          method: "POST",
          url: "http://localhost:7071/api/echo",
          headers: { "content-type": "application/json" },
          body: Buffer.from(JSON.stringify({ a: 1 })),
        }),
      },
    });
    expect(result.http?.status).toBe(201);
    expect(result.http?.headers["content-type"]).toBe("application/json");
    expect(JSON.parse(String(result.http?.body))).toEqual({
      received: { a: 1 },
      contentType: "application/json",
    });
  });

  it("rejects with the function's own error", async () => {
    await expect(
      app.invoke("Fail", {
        trigger: { kind: "http", request: request({ url: "http://localhost:7071/api/Fail" }) },
      }),
    ).rejects.toThrow("boom");
  });

  it("refuses a trigger value of the wrong kind", async () => {
    await expect(
      app.invoke("Hello", { trigger: { kind: "value", value: "x", dataType: "string" } }),
    ).rejects.toThrow('Function "Hello" has a httpTrigger: invoke it with a "http" trigger value.');
  });
});

describe("a timer trigger", () => {
  it("hands the function the timer in camelCase and returns its return value", async () => {
    const result = await app.invoke("Tick", { trigger: { kind: "timer", timer: { isPastDue: true } } });
    expect(result.returnValue).toEqual({ isPastDue: true, adjustForDST: true });
    expect(result.http).toBeUndefined();
    expect(logs).toContainEqual({
      level: "warning",
      functionName: "Tick",
      message: "tick",
      category: "user",
    });
  });
});

describe("app hooks", () => {
  it("run appStart once at load, and pre- and postInvocation around every invocation", async () => {
    const before = events.length;
    const result = await app.invoke("HookReport", {
      trigger: { kind: "http", request: request({ url: "http://localhost:7071/api/HookReport" }) },
    });
    expect(events[0]).toBe("appStart");
    expect(events.slice(before)).toEqual(["preInvocation HookReport", "postInvocation HookReport ok"]);
    // The postInvocation hook replaced the result, with what appStart and preInvocation saw.
    expect(JSON.parse(String(result.http?.body))).toEqual({
      appStarted: true,
      seenBy: "preInvocation",
    });
  });

  it("can rewrite the app's logs", async () => {
    await app.invoke("HookReport", {
      trigger: { kind: "http", request: request({ url: "http://localhost:7071/api/HookReport" }) },
    });
    const lines = logs.filter((line) => line.functionName === "HookReport" && line.category === "user");
    expect(lines.map((line) => line.message)).toContain("[redacted]");
    expect(lines.map((line) => line.message)).not.toContain("secret");
  });

  it("see a failed invocation as failed", async () => {
    const before = events.length;
    await expect(
      app.invoke("Fail", {
        trigger: { kind: "http", request: request({ url: "http://localhost:7071/api/Fail" }) },
      }),
    ).rejects.toThrow("boom");
    expect(events.slice(before)).toEqual(["preInvocation Fail", "postInvocation Fail failed"]);
  });

  it("run appTerminate when the host asks", async () => {
    await app.runAppTerminateHooks();
    expect(events[events.length - 1]).toBe("appTerminate after appStart");
  });
});
