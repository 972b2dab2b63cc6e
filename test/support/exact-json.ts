/**
 * Exact comparison of parsed JSON values, without recursion (values may nest 10,000 levels,
 * deeper than jest's `toEqual` or `JSON.stringify` can follow): strings code unit by code unit,
 * numbers with `Object.is`, objects by their own keys in order, `__proto__` included.
 */

/** Where `actual` first differs from `expected` (a path and both sides), or undefined. */
export function firstDifference(actual: unknown, expected: unknown): string | undefined {
  const pending: [unknown, unknown, string][] = [[actual, expected, "$"]];
  while (pending.length > 0) {
    const [a, e, path] = pending.pop() as [unknown, unknown, string];
    if (typeof a !== typeof e || Array.isArray(a) !== Array.isArray(e) || (a === null) !== (e === null)) {
      return `${path}: ${describe(a)} instead of ${describe(e)}`;
    }
    if (typeof e === "string") {
      if (a !== e) return `${path}: string ${codeUnits(a as string)} instead of ${codeUnits(e)}`;
      continue;
    }
    if (typeof e !== "object" || e === null) {
      if (!Object.is(a, e)) return `${path}: ${String(a)} instead of ${String(e)}`;
      continue;
    }
    const actualKeys = Object.keys(a as object);
    const expectedKeys = Object.keys(e);
    if (actualKeys.join("\u0000") !== expectedKeys.join("\u0000")) {
      return `${path}: keys ${shorten(JSON.stringify(actualKeys))} instead of ${shorten(JSON.stringify(expectedKeys))}`;
    }
    for (const key of expectedKeys) {
      pending.push([
        ownValue(a as object, key),
        ownValue(e, key),
        `${path}[${shorten(JSON.stringify(key))}]`,
      ]);
    }
  }
  return undefined;
}

/** `object[key]` for an own property, also one named `__proto__`. */
function ownValue(object: object, key: string): unknown {
  return Object.getOwnPropertyDescriptor(object, key)?.value;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "an array";
  if (value === null) return "null";
  return typeof value;
}

function codeUnits(text: string): string {
  const shown = Math.min(16, text.length);
  const units = Array.from({ length: shown }, (_, i) => text.charCodeAt(i).toString(16).padStart(4, "0"));
  return `(${text.length} units: ${units.join(" ")}${text.length > 16 ? " ..." : ""})`;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 60)}...` : text;
}
