import { RUNTIME_STATUS_NAMES, type RuntimeStatusName } from "../../protocol/status";
import { badRequest } from "./api-error";

const INT32_MAX = 2 ** 31 - 1;

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

  /** `true` or `false` in any case, as .NET's bool.TryParse. */
  boolean(name: string, defaultValue: boolean): boolean {
    const value = this.get(name);
    if (value === undefined) return defaultValue;
    const lower = value.toLowerCase();
    if (lower === "true") return true;
    if (lower === "false") return false;
    throw badRequest(`Query parameter '${name}' must be true or false, not '${value}'.`);
  }

  positiveInteger(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    const number = /^\+?\d+$/.test(value) ? Number(value) : NaN;
    if (!(number >= 1 && number <= INT32_MAX)) {
      throw badRequest(`Query parameter '${name}' must be a positive integer, not '${value}'.`);
    }
    return number;
  }

  /** As ISO text, so providers compare one format. */
  date(name: string): string | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    const ms = Date.parse(value);
    if (Number.isNaN(ms)) {
      throw badRequest(
        `Query parameter '${name}' must be a date such as 2024-01-01T00:00:00Z, not '${value}'.`,
      );
    }
    return new Date(ms).toISOString();
  }

  /** A number of seconds, as milliseconds. */
  seconds(name: string): number | undefined {
    const value = this.get(name);
    if (value === undefined) return undefined;
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds < 0) {
      throw badRequest(`Query parameter '${name}' must be a number of seconds, not '${value}'.`);
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
