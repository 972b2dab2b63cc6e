import { RUNTIME_STATUS_NAMES, type RuntimeStatusName } from "../../protocol/status";
import { badRequest } from "./api-error";

/** The dates a table store can hold (.NET's DateTime range); outside it a date is a typo, not a filter. */
const EARLIEST_DATE_MS = Date.parse("0001-01-01T00:00:00Z");
const LATEST_DATE_MS = Date.parse("9999-12-31T23:59:59.999Z");

/**
 * The query string as the extension reads it: keys ignore case, values are URL-decoded and
 * trimmed, a blank value counts as absent. Values that cannot be parsed are refused with a 400
 * naming the parameter, where the extension would silently use the default: a mistyped date must
 * not widen a purge. Only runtimeStatus items are dropped silently, as documented.
 */
export class QueryParameters {
  private readonly values = new Map<string, string[]>();

  constructor(search: URLSearchParams) {
    for (const [key, value] of search) {
      const name = key.toLowerCase();
      const list = this.values.get(name) ?? [];
      list.push(value.trim());
      this.values.set(name, list);
    }
  }

  /** The first non-blank value. */
  get(name: string): string | undefined {
    return this.values.get(name.toLowerCase())?.find((value) => value !== "");
  }

  /** The first non-blank value, refused when longer than `maxLength`. */
  text(name: string, maxLength: number): string | undefined {
    const value = this.get(name);
    if (value !== undefined && value.length > maxLength) {
      throw badRequest(
        `Query parameter '${name}' must be at most ${maxLength} characters long, not ${value.length}.`,
      );
    }
    return value;
  }

  /** `true` or `false` in any case, as .NET's bool.TryParse. */
  boolean(name: string, defaultValue: boolean): boolean {
    const value = this.get(name);
    if (value === undefined) return defaultValue;
    const lower = value.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    throw badRequest(`Query parameter '${name}' must be true or false, not '${abbreviated(value)}'.`);
  }

  /** A whole number from 1 to `max`. */
  positiveInteger(name: string, max: number): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    const number = /^\+?\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= 1 && number <= max)) {
      throw badRequest(
        `Query parameter '${name}' must be a whole number from 1 to ${max}, not '${abbreviated(value)}'.`,
      );
    }
    return number;
  }

  /** As ISO text, so providers compare one format. */
  date(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    const ms = Date.parse(value);
    if (!(ms >= EARLIEST_DATE_MS && ms <= LATEST_DATE_MS)) {
      throw badRequest(
        `Query parameter '${name}' must be a date from 0001-01-01 to 9999-12-31 such as ` +
          `2024-01-01T00:00:00Z, not '${abbreviated(value)}'.`,
      );
    }
    return new Date(ms).toISOString();
  }

  /** A number of seconds from 0 to `maxSeconds`, as milliseconds. */
  seconds(name: string, maxSeconds: number): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    // Decimal only, as .NET's double.TryParse reads it: no hex, no "Infinity".
    const seconds = /^\+?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value) ? Number(value) : NaN;
    if (!(seconds >= 0 && seconds <= maxSeconds)) {
      throw badRequest(
        `Query parameter '${name}' must be a number of seconds from 0 to ${maxSeconds}, ` +
          `not '${abbreviated(value)}'.`,
      );
    }
    return seconds * 1000;
  }

  /** Comma-separated and possibly repeated; names are case-sensitive; unknown items are dropped. */
  runtimeStatuses(): RuntimeStatusName[] {
    const statuses = new Set<RuntimeStatusName>();
    for (const value of this.values.get("runtimestatus") ?? []) {
      for (const item of value.split(",")) {
        const status = parseRuntimeStatus(item.trim());
        if (status) statuses.add(status);
      }
    }
    return [...statuses];
  }
}

function parseRuntimeStatus(item: string): RuntimeStatusName | undefined {
  if (/^\d+$/.test(item)) return RUNTIME_STATUS_NAMES[Number(item)];
  return RUNTIME_STATUS_NAMES.find((status) => status === item);
}

/** A value as an error message quotes it: long ones cut, so a refusal never echoes a huge request. */
function abbreviated(value: string): string {
  return value.length <= 100 ? value : `${value.slice(0, 100)}... (${value.length} characters)`;
}
