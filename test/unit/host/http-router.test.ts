import { HttpRouter } from "../../../src/host/http/http-router";

describe("the HTTP router of a function app", () => {
  const router = new HttpRouter(
    [
      { functionName: "HttpStart", route: "orchestrators/{functionName}/{instanceId?}", methods: ["POST"] },
      { functionName: "CounterGet", route: "counter/{key}", methods: ["GET"] },
      { functionName: "CounterAdd", route: "counter/{key}/add", methods: ["POST"] },
      { functionName: "Hello" },
      { functionName: "Files", route: "files/{*path}" },
      { functionName: "Special", route: "orchestrators/special/one", methods: ["POST"] },
    ],
    "api",
  );

  it("finds a function by its route under the prefix", () => {
    expect(router.match("POST", "/api/orchestrators/HelloSequence")).toEqual({
      kind: "function",
      route: expect.objectContaining({ functionName: "HttpStart" }) as unknown,
      params: { functionName: "HelloSequence" },
    });
  });

  it("uses the function name as the route when none is given, for every method", () => {
    expect(router.match("DELETE", "/api/hello")).toMatchObject({
      kind: "function",
      route: { functionName: "Hello" },
    });
  });

  it("prefers the more specific template", () => {
    expect(router.match("POST", "/api/orchestrators/special/one")).toMatchObject({
      route: { functionName: "Special" },
    });
  });

  it("says which methods a matching route allows", () => {
    expect(router.match("GET", "/api/counter/a/add")).toEqual({
      kind: "method-not-allowed",
      allowed: ["POST"],
    });
  });

  it("matches nothing outside the prefix", () => {
    expect(router.match("GET", "/hello")).toBeUndefined();
    expect(router.match("GET", "/apix/hello")).toBeUndefined();
  });

  it("works without a prefix", () => {
    const bare = new HttpRouter([{ functionName: "Hello" }], "");
    expect(bare.match("GET", "/hello")).toMatchObject({ kind: "function" });
    expect(bare.pathOf({ functionName: "Hello" })).toBe("/Hello");
  });

  it("lists the path of each function", () => {
    expect(
      router.pathOf({ functionName: "HttpStart", route: "orchestrators/{functionName}/{instanceId?}" }),
    ).toBe("/api/orchestrators/{functionName}/{instanceId?}");
  });
});
