/** The odd and bad values the fuzz suite draws from: every character class, edge numbers, bad JSON. */

/** Ids, names and keys: control characters, URL delimiters, unicode, reserved prefixes, lengths. */
export const ODD_IDS: readonly string[] = [
  "",
  " ",
  " lead",
  "trail ",
  "tab\there",
  "new\nline",
  "a/b",
  "a\\b",
  "a#b",
  "a?b",
  "a&b=c",
  "a+b",
  "50%",
  "%",
  "%zz",
  "%2F",
  "%00",
  "@entity",
  "@counter@key",
  "..",
  ".",
  "\u0000",
  "ctl\u0001\u001f",
  "del\u007f",
  "nel\u0085",
  "ls\u2028ps\u2029",
  "bidi\u202eabc",
  "zero\u200bwidth",
  "emoji\u{1f600}",
  "\u65e5\u672c\u8a9e",
  "\u00df\ufb00",
  "lone\ud800",
  "x".repeat(256),
  "x".repeat(257),
  "y".repeat(3000),
  "<script>alert(1)</script>",
  "' or ''='",
  "PartitionKey eq 'x'",
  "__proto__",
  "constructor",
  "null",
  "$",
  "*",
  "~",
  "id-with-dashes_and.dots",
];

export const ODD_NUMBERS: readonly string[] = [
  "0",
  "-1",
  "1",
  "3",
  "1e308",
  "-1e308",
  "1e-308",
  "NaN",
  "Infinity",
  "-Infinity",
  "1.5",
  "0x10",
  "99999999999999999999",
  "2147483648",
  "1000",
  "1001",
  "231",
  "",
  " ",
  "abc",
  "1,2",
  "\uff11",
];

export const ODD_DATES: readonly string[] = [
  "0000-01-01T00:00:00Z",
  "0001-01-01T00:00:00Z",
  "1600-12-31T23:59:59Z",
  "1970-01-01T00:00:00Z",
  "2024-01-01T00:00:00Z",
  "2024-01-01T00:00:00+14:00",
  "9999-12-31T23:59:59Z",
  "+275760-09-13T00:00:00Z",
  "-000001-01-01T00:00:00Z",
  "2024-13-45",
  "yesterday",
  "1e308",
  "0",
  "",
];

export const ODD_BOOLEANS: readonly string[] = ["true", "TRUE", "false", "1", "yes", "", "\u0000"];

export const RUNTIME_STATUSES: readonly string[] = [
  "Running",
  "Completed,Failed",
  "0",
  "99",
  "running",
  "Pending,,Terminated",
  "\u0000",
  "Running".repeat(500),
];

/** Continuation tokens: garbage, base64 of non-JSON, of JSON of the wrong shape, oversized. */
export const ODD_TOKENS: readonly string[] = [
  "garbage",
  "{",
  "!!!",
  Buffer.from("not json").toString("base64"),
  Buffer.from("[1,2]").toString("base64"),
  Buffer.from("null").toString("base64"),
  Buffer.from('{"nextPartitionKey":""}').toString("base64"),
  Buffer.from('{"nextPartitionKey":"\\u0000\'"}').toString("base64"),
  Buffer.from('{"nextPartitionKey":"zzz","nextRowKey":5}').toString("base64"),
  Buffer.from('{"nextPartitionKey":"a b","nextRowKey":"c"}').toString("base64"),
  Buffer.from(JSON.stringify([0, "x"])).toString("base64url"),
  "A".repeat(6000),
  "=",
];

/** A body with the content type it is sent as (undefined: no Content-Type header). */
export interface OddBody {
  label: string;
  contentType: string | undefined;
  bytes: Buffer;
}

const JSON_TYPE = "application/json";

function text(label: string, value: string, contentType: string | undefined = JSON_TYPE): OddBody {
  return { label, contentType, bytes: Buffer.from(value, "utf8") };
}

export const ODD_BODIES: readonly OddBody[] = [
  text("open brace", "{"),
  text("unterminated array", "[1,2"),
  text("bare word", "nul"),
  text("unterminated string", '"abc'),
  text("trailing brace", '{"a":1}}'),
  text("NaN", "NaN"),
  text("single quotes", "'single'"),
  text("raw control character in a string", '"a\u0001b"'),
  text("escaped control characters", '"\\u0000\\u0001\\u001f\\u007f\\u0085\\u2028"'),
  text("escaped lone surrogate", '"\\ud800"'),
  text("__proto__ key", '{"__proto__":{"polluted":true}}'),
  text("edge numbers", "[1e308,-1e308,5e-324,-0,123456789012345678901234567890]"),
  text("number beyond float64", "1e309"),
  text("nested 64 levels", "[".repeat(64) + "]".repeat(64)),
  text("nested 10,000 levels", "[".repeat(10_000) + "]".repeat(10_000)),
  text("unclosed 10,000 levels", "[".repeat(10_000)),
  text("2 MB of junk", "x".repeat(2 * 1024 * 1024)),
  text("200 KB string", JSON.stringify("s".repeat(200 * 1024))),
  text("very long key", JSON.stringify({ ["k".repeat(70_000)]: 1 })),
  text("empty", ""),
  text("whitespace", "  \n\t "),
  text("plain text", "hello", "text/plain"),
  text("JSON as text/plain", '{"a":1}', "text/plain"),
  text("XML", "<a>1</a>", "application/xml"),
  text("form", "a=1&b=2", "application/x-www-form-urlencoded"),
  text("multipart", "--x\r\n\r\n1\r\n--x--", "multipart/form-data; boundary=x"),
  text("JSON without content type", '{"a":1}', undefined),
  text("odd charset", '{"a":1}', "application/json; charset=nonsense"),
  text("broken content type", '{"a":1}', ";;;=="),
  text("upper-case media type", '"ok"', "APPLICATION/JSON"),
  { label: "UTF-16LE with BOM", contentType: "application/json; charset=utf-16", bytes: utf16('{"a":1}') },
  {
    label: "UTF-8 BOM",
    contentType: JSON_TYPE,
    bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('"bom"')]),
  },
  {
    label: "invalid UTF-8",
    contentType: JSON_TYPE,
    bytes: Buffer.from([0x22, 0xff, 0xfe, 0xc0, 0xaf, 0x22]),
  },
  { label: "latin1 bytes", contentType: JSON_TYPE, bytes: Buffer.from('"caf\u00e9"', "latin1") },
  { label: "NUL bytes", contentType: JSON_TYPE, bytes: Buffer.alloc(64) },
  text("valid object", '{"n":1,"s":"x"}'),
  text("valid string", '"Tokyo"'),
  text("null", "null"),
];

function utf16(value: string): Buffer {
  return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(value, "utf16le")]);
}
