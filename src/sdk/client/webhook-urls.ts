import { isIPv4, isIPv6 } from "node:net";

/**
 * Helpers over the absolute URLs of the durableClient binding. durable-functions decides with the
 * `validator` package's isURL (http/https, protocol required, no TLD required) which values are
 * URLs; `isWebhookUrl` accepts the same values for everything a host puts in the binding.
 */

const MAX_URL_LENGTH = 2084;
/** Letters, digits and hyphens (not at either end); underscores are refused. */
const HOST_LABEL = /^(?!-)[a-z\u00a1-\uffff0-9-]+(?<!-)$/i;

/** True for an absolute http(s) URL with a valid host, as validator's isURL decides it. */
export function isWebhookUrl(value: unknown): value is string {
  if (typeof value !== "string" || value.length > MAX_URL_LENGTH || /[\s<>]/.test(value)) {
    return false;
  }
  const authority = /^https?:\/\/([^/?#]*)/i.exec(value)?.[1];
  if (authority === undefined || !isValidAuthority(authority)) {
    return false;
  }
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Puts `origin` in place of the URL's own origin (first occurrence, plain text). */
export function replaceOrigin(url: string, origin: string): string {
  return url.replace(new URL(url).origin, origin);
}

/** The distinct origins of the URL values of `urls`, in order of appearance. */
export function webhookOrigins(...urls: object[]): string[] {
  const origins: string[] = [];
  for (const group of urls) {
    for (const value of Object.values(group)) {
      if (isWebhookUrl(value)) {
        const origin = new URL(value).origin;
        if (!origins.includes(origin)) {
          origins.push(origin);
        }
      }
    }
  }
  return origins;
}

/** A copy of `urls` with the origin of every URL value replaced by `origin`. */
export function withOrigin<T extends object>(urls: T, origin: string): T {
  const copy = { ...urls } as Record<string, unknown>;
  for (const [key, value] of Object.entries(copy)) {
    if (isWebhookUrl(value)) {
      copy[key] = replaceOrigin(value, origin);
    }
  }
  return copy as T;
}

function isValidAuthority(authority: string): boolean {
  const hostAndPort = authority.slice(authority.lastIndexOf("@") + 1);
  const bracketed = /^\[([^\]]+)\](:.*)?$/.exec(hostAndPort);
  if (bracketed) {
    return isIPv6(bracketed[1]) && isValidPort(bracketed[2] ?? "");
  }
  const colon = hostAndPort.indexOf(":");
  const host = colon < 0 ? hostAndPort : hostAndPort.slice(0, colon);
  const port = colon < 0 ? "" : hostAndPort.slice(colon);
  return isValidHost(host) && isValidPort(port);
}

/** An IPv4 address, or a domain name whose last label is not all digits. */
function isValidHost(host: string): boolean {
  if (isIPv4(host)) {
    return true;
  }
  const labels = host.split(".");
  if (/^\d+$/.test(labels[labels.length - 1])) {
    return false;
  }
  return labels.every(
    (label) => label.length <= 63 && HOST_LABEL.test(label) && !/[\uff01-\uff5e]/.test(label),
  );
}

/** "" or ":" (no port), or ":<1-65535>". */
function isValidPort(port: string): boolean {
  if (port === "" || port === ":") {
    return true;
  }
  if (!/^:\d+$/.test(port)) {
    return false;
  }
  const value = parseInt(port.slice(1), 10);
  return value > 0 && value <= 65535;
}
