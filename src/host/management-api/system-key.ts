import { timingSafeEqual } from "node:crypto";
import { isIP } from "node:net";
import type { HostRequest } from "./host-http";

/**
 * Whether a request may use the API: with no system key configured, always; otherwise from a
 * loopback peer (the client functions' rpc calls, which carry no key), or with the key as
 * `code=` or `x-functions-key`, as the Functions host accepts it.
 */
export function isAuthorized(
  request: HostRequest,
  systemKey: string | undefined,
  code: string | undefined,
): boolean {
  if (!systemKey) return true;
  if (request.remoteAddress !== undefined && isLoopback(request.remoteAddress)) return true;
  const offered = code ?? request.headers["x-functions-key"];
  return offered !== undefined && sameSecret(offered, systemKey);
}

export function isLoopback(address: string): boolean {
  const ip = address.replace(/^::ffff:/i, "");
  if (isIP(ip) === 4) return ip.startsWith("127.");
  return ip === "::1";
}

function sameSecret(offered: string, expected: string): boolean {
  const a = Buffer.from(offered, "utf8");
  const b = Buffer.from(expected, "utf8");
  return a.length === b.length && timingSafeEqual(a, b);
}
