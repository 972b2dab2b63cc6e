/**
 * Route templates of HTTP-triggered functions, as ASP.NET routing reads them: literal segments
 * (matched without regard to case), `{name}` parameters, optional `{name?}` ones at the end,
 * constraints such as `{id:int}`, defaults `{page=1}`, and a catch-all `{*rest}` last.
 */
export interface RouteTemplate {
  readonly template: string;
  match(path: string): Record<string, string> | undefined;
}

type Segment =
  | { kind: "literal"; text: string }
  | { kind: "parameter"; name: string; optional: boolean; fallback?: string; constraints: string[] }
  | { kind: "catch-all"; name: string };

const CONSTRAINTS: Record<string, (value: string) => boolean> = {
  int: (v) => /^-?\d+$/.test(v),
  long: (v) => /^-?\d+$/.test(v),
  bool: (v) => /^(true|false)$/i.test(v),
  alpha: (v) => /^[a-z]+$/i.test(v),
  guid: (v) => /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i.test(v),
  decimal: (v) => /^-?\d+(\.\d+)?$/.test(v),
  double: (v) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v),
  float: (v) => /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(v),
  datetime: (v) => !Number.isNaN(Date.parse(v)),
};

export function parseRouteTemplate(template: string): RouteTemplate {
  const segments = splitPath(template).map((raw, index, all) =>
    parseSegment(raw, template, index === all.length - 1),
  );
  return {
    template,
    match: (path) => matchSegments(segments, splitPath(path)),
  };
}

function splitPath(path: string): string[] {
  return path.split("/").filter((segment) => segment.length > 0);
}

function parseSegment(raw: string, template: string, isLast: boolean): Segment {
  const parameter = /^\{(\*)?([A-Za-z_][\w]*)((?::[^{}=?]+)*)(\?)?(?:=([^{}]*))?\}$/.exec(raw);
  if (!parameter) {
    if (raw.includes("{") || raw.includes("}")) {
      throw new Error(
        `Route '${template}': segment '${raw}' mixes text and parameters, which is not supported.`,
      );
    }
    return { kind: "literal", text: raw.toLowerCase() };
  }
  const [, star, name, constraintText, optional, fallback] = parameter;
  if (star) {
    if (!isLast) throw new Error(`Route '${template}': the catch-all '{*${name}}' must be the last segment.`);
    return { kind: "catch-all", name };
  }
  const constraints = constraintText.split(":").filter((c) => c.length > 0);
  for (const constraint of constraints) {
    const kind = constraint.replace(/\(.*\)$/, "").toLowerCase();
    if (
      !(kind in CONSTRAINTS) &&
      !["min", "max", "minlength", "maxlength", "length", "range", "regex"].includes(kind)
    ) {
      throw new Error(`Route '${template}': unknown constraint '${constraint}' on '{${name}}'.`);
    }
  }
  return { kind: "parameter", name, optional: optional === "?", fallback, constraints };
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  let index = 0;
  for (const segment of segments) {
    if (segment.kind === "catch-all") {
      params[segment.name] = parts.slice(index).map(decode).join("/");
      return params;
    }
    const part = parts[index];
    if (part === undefined) {
      if (segment.kind === "literal" || (!segment.optional && segment.fallback === undefined))
        return undefined;
      if (segment.fallback !== undefined) params[segment.name] = segment.fallback;
      continue;
    }
    const value = decode(part);
    if (segment.kind === "literal") {
      if (value.toLowerCase() !== segment.text) return undefined;
    } else {
      if (!segment.constraints.every((constraint) => satisfies(constraint, value))) return undefined;
      params[segment.name] = value;
    }
    index++;
  }
  return index === parts.length ? params : undefined;
}

function satisfies(constraint: string, value: string): boolean {
  const call = /^(\w+)(?:\((.*)\))?$/.exec(constraint);
  if (!call) return false;
  const [, kind, argument = ""] = call;
  const check = CONSTRAINTS[kind.toLowerCase()];
  if (check) return check(value);
  const numbers = argument.split(",").map(Number);
  switch (kind.toLowerCase()) {
    case "min":
      return Number(value) >= numbers[0];
    case "max":
      return Number(value) <= numbers[0];
    case "range":
      return Number(value) >= numbers[0] && Number(value) <= numbers[1];
    case "minlength":
      return value.length >= numbers[0];
    case "maxlength":
      return value.length <= numbers[0];
    case "length":
      return numbers.length === 2
        ? value.length >= numbers[0] && value.length <= numbers[1]
        : value.length === numbers[0];
    case "regex":
      return new RegExp(argument).test(value);
    default:
      return false;
  }
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}
