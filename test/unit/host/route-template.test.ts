import { parseRouteTemplate } from "../../../src/host/http/route-template";

describe("route templates of HTTP functions", () => {
  it("matches literal segments without regard to case", () => {
    const route = parseRouteTemplate("orchestrators/start");
    expect(route.match("Orchestrators/START")).toEqual({});
    expect(route.match("orchestrators")).toBeUndefined();
    expect(route.match("orchestrators/start/extra")).toBeUndefined();
  });

  it("captures parameters, decoded", () => {
    expect(
      parseRouteTemplate("orchestrators/{functionName}/{instanceId}").match("orchestrators/Hello/a%20b"),
    ).toEqual({
      functionName: "Hello",
      instanceId: "a b",
    });
  });

  it("lets a trailing optional parameter be left out", () => {
    const route = parseRouteTemplate("orchestrators/{functionName}/{instanceId?}");
    expect(route.match("orchestrators/Hello")).toEqual({ functionName: "Hello" });
    expect(route.match("orchestrators/Hello/abc")).toEqual({ functionName: "Hello", instanceId: "abc" });
  });

  it("fills defaults", () => {
    expect(parseRouteTemplate("items/{page=1}").match("items")).toEqual({ page: "1" });
  });

  it("applies constraints", () => {
    const route = parseRouteTemplate("products/{category:alpha}/{id:int}");
    expect(route.match("products/books/42")).toEqual({ category: "books", id: "42" });
    expect(route.match("products/books/forty-two")).toBeUndefined();
    expect(route.match("products/b00ks/42")).toBeUndefined();
    expect(parseRouteTemplate("page/{n:int:range(1,10)}").match("page/11")).toBeUndefined();
    expect(parseRouteTemplate("page/{n:int:range(1,10)}").match("page/7")).toEqual({ n: "7" });
  });

  it("gives the rest of the path to a catch-all", () => {
    expect(parseRouteTemplate("files/{*path}").match("files/a/b/c.txt")).toEqual({ path: "a/b/c.txt" });
    expect(parseRouteTemplate("files/{*path}").match("files")).toEqual({ path: "" });
  });

  it("refuses templates it cannot honour, naming them", () => {
    expect(() => parseRouteTemplate("files/{*path}/more")).toThrow(/catch-all/);
    expect(() => parseRouteTemplate("a/x{id}")).toThrow(/'x\{id\}'/);
    expect(() => parseRouteTemplate("a/{id:banana}")).toThrow(/banana/);
  });
});
