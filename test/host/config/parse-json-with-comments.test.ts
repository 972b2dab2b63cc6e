import { JsonSyntaxError } from "../../../src/host/config/json-syntax-error";
import { parseJsonWithComments } from "../../../src/host/config/parse-json-with-comments";

function syntaxError(text: string): JsonSyntaxError {
  try {
    parseJsonWithComments(text);
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error;
    throw error;
  }
  throw new Error(`parsed: ${text}`);
}

describe("parseJsonWithComments", () => {
  it("reads what JSON.parse reads", () => {
    const text = '{"a": [1, -2.5e3, true, false, null, "x\\n\\u00e9"], "b": {}, "c": []}';
    expect(parseJsonWithComments(text)).toEqual(JSON.parse(text));
  });

  it("skips line and block comments, as Core Tools does", () => {
    const text = `// settings
      {
        /* the hub */ "hubName": "Hub", // trailing note
        "n": /* inline */ 1
      }`;
    expect(parseJsonWithComments(text)).toEqual({ hubName: "Hub", n: 1 });
  });

  it("accepts trailing commas in objects and arrays", () => {
    expect(parseJsonWithComments('{"a": [1, 2,], "b": 3,}')).toEqual({ a: [1, 2], b: 3 });
  });

  it("keeps comment markers inside strings", () => {
    expect(parseJsonWithComments('{"url": "http://x/*y*/"}')).toEqual({ url: "http://x/*y*/" });
  });

  it("keeps a __proto__ key as an ordinary property", () => {
    const value = parseJsonWithComments('{"__proto__": {"polluted": true}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.keys(value)).toEqual(["__proto__"]);
  });

  it("reports the line and column of a missing comma", () => {
    const error = syntaxError('{\n  "a": 1\n  "b": 2\n}');
    expect([error.line, error.column]).toEqual([3, 3]);
    expect(error.reason).toBe("expected ',' or '}', found '\"'");
  });

  it("reports a value that is not JSON", () => {
    const error = syntaxError('{"a": tru}');
    expect(error.reason).toBe("expected a value, found 't'");
    expect(error.column).toBe(7);
  });

  it("reports an unexpected end of the file", () => {
    expect(syntaxError('{"a": [1,').reason).toBe("expected a value, found the end of the file");
    expect(syntaxError("").reason).toBe("expected a value, found the end of the file");
  });

  it("reports unterminated strings and comments where they start", () => {
    expect(syntaxError('{"a": "open').reason).toBe("unterminated string");
    expect(syntaxError('{"a": "open').column).toBe(7);
    expect(syntaxError("{ /* never closed").reason).toBe("unterminated /* comment");
  });

  it("rejects a raw line break inside a string", () => {
    expect(syntaxError('{"a": "x\ny"}').reason).toMatch(/^invalid string/);
  });

  it("rejects anything after the value", () => {
    expect(syntaxError('{"a": 1}}').reason).toBe("unexpected '}' after the end of the JSON");
  });

  it("rejects unquoted property names and single quotes", () => {
    expect(syntaxError("{a: 1}").reason).toMatch(/^expected a property name in double quotes/);
    expect(syntaxError("{\"a\": 'x'}").reason).toBe("expected a value, found '''");
  });
});
