import { fromTypedData, toTypedData } from "../../../src/host/functions-worker/typed-data";

describe("values the host hands the worker", () => {
  it("go as the Functions host sends them: text as string, bytes, integers, doubles, the rest as JSON", () => {
    expect(toTypedData('{"a":1}')).toEqual({ string: '{"a":1}' });
    expect(toTypedData(Buffer.from("hi"))).toEqual({ bytes: new Uint8Array(Buffer.from("hi")) });
    expect(toTypedData(3)).toEqual({ int: 3 });
    expect(toTypedData(1.5)).toEqual({ double: 1.5 });
    expect(toTypedData({ a: [1] })).toEqual({ json: '{"a":[1]}' });
    expect(toTypedData(true)).toEqual({ json: "true" });
    expect(toTypedData(null)).toBeUndefined();
  });
});

describe("values the worker hands back", () => {
  it("keep text as text, even text that parses as JSON", () => {
    expect(fromTypedData({ string: '{"a":1}' })).toBe('{"a":1}');
  });

  it("decode JSON, bytes, numbers and collections, and keep null apart from nothing", () => {
    expect(fromTypedData({ json: '{"a":1}' })).toEqual({ a: 1 });
    expect(fromTypedData({ bytes: new Uint8Array([104, 105]) })).toEqual(Buffer.from("hi"));
    expect(fromTypedData({ int: 7 })).toBe(7);
    expect(fromTypedData({ double: 0.5 })).toBe(0.5);
    expect(fromTypedData({ collectionString: { string: ["a", "b"] } })).toEqual(["a", "b"]);
    expect(fromTypedData(null)).toBeNull();
    expect(fromTypedData(undefined)).toBeUndefined();
  });
});
