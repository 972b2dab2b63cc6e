import type { RpcTypedData } from "./core-types";

/**
 * A host-side value as RPC data, the way the Functions host encodes binding values: text as
 * `string` (which the worker JSON-parses when it can), bytes as `bytes`, numbers as `int` or
 * `double`, anything else as `json`. Null and undefined send no data, which the worker reads as
 * undefined.
 */
export function toTypedData(value: unknown): RpcTypedData | undefined {
  if (value === null || value === undefined) {
    return undefined;
  }
  if (typeof value === "string") {
    return { string: value };
  }
  // Tag checks rather than instanceof: values may come from another realm (vm contexts, jest).
  if (ArrayBuffer.isView(value)) {
    return { bytes: new Uint8Array(value.buffer, value.byteOffset, value.byteLength) };
  }
  if (Object.prototype.toString.call(value) === "[object ArrayBuffer]") {
    return { bytes: new Uint8Array(value as ArrayBuffer) };
  }
  if (typeof value === "number") {
    return Number.isInteger(value) ? { int: value } : { double: value };
  }
  return { json: JSON.stringify(value) };
}

/**
 * RPC data from the library (a return value or an output binding) as the host sees it. Strings
 * are not parsed: an activity that returns the text '{"a":1}' returned text, not an object.
 * HTTP data is the caller's to read, with the binding's other context.
 */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (data === null) {
    return null;
  }
  if (data === undefined) {
    return undefined;
  }
  if (isSet(data.string)) return data.string;
  if (isSet(data.json)) return JSON.parse(data.json) as unknown;
  if (isSet(data.bytes)) return Buffer.from(data.bytes);
  if (isSet(data.stream)) return Buffer.from(data.stream);
  if (isSet(data.int)) return Number(data.int);
  if (isSet(data.double)) return data.double;
  if (isSet(data.collectionString?.string)) return [...data.collectionString.string];
  if (isSet(data.collectionBytes?.bytes))
    return data.collectionBytes.bytes.map((bytes) => Buffer.from(bytes));
  if (isSet(data.collectionDouble?.double)) return [...data.collectionDouble.double];
  if (isSet(data.collectionSint64?.sint64)) return data.collectionSint64.sint64.map(Number);
  return undefined;
}

function isSet<T>(value: T | null | undefined): value is T {
  return value !== null && value !== undefined;
}
