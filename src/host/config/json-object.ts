/** Helpers for reading parsed configuration the way .NET configuration binding reads it. */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The member `name` of `object`, its name matched without regard to case: the host binds
 * host.json sections and Core Tools binds local.settings.json case-insensitively.
 */
export function memberIgnoringCase(object: JsonObject, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const wanted = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === wanted);
  return key === undefined ? undefined : object[key];
}

/** Names a JSON value's kind for error messages ("an array", "the number 8080"). */
export function describeJsonValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  return `the ${typeof value} ${String(value)}`;
}

/**
 * An optional object-valued setting named `name` in messages; null counts as absent, as it does
 * in .NET configuration. A value of another kind is recorded in `problems`.
 */
export function optionalSection(value: unknown, name: string, problems: string[]): JsonObject | undefined {
  if (value === undefined || value === null) return undefined;
  if (isJsonObject(value)) return value;
  problems.push(`'${name}' must be an object, not ${describeJsonValue(value)}`);
  return undefined;
}
