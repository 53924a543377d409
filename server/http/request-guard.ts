import { ERROR_CODES, type ErrorCode } from "../domain/shared/errors";
import { hasLoneSurrogate, safeDecodeURIComponent } from "../domain/shared/safe-input";
import { allowedMethods, findApiRoute } from "./api-routes";

/**
 * What every request is checked for before any route sees it (proxy.ts): methods no
 * route takes, paths that cannot be decoded, and unknown API paths. Pure (no Next.js,
 * no logger), so proxy.ts and the integration tests' route server use the same code.
 */

export interface Refusal {
  code: ErrorCode;
  detail: string;
  /** with METHOD_NOT_ALLOWED: the methods the path takes */
  allow?: string[];
}

/**
 * Methods no route here takes. The WHATWG Request constructor refuses TRACE, TRACK and
 * CONNECT, so Next.js cannot even build a request for them (a 500): they are refused
 * before Next.js sees them (instrumentation.ts) as well as here.
 */
export const FORBIDDEN_METHODS = new Set(["TRACE", "TRACK", "CONNECT"]);
const PAGE_METHODS = ["GET", "HEAD", "POST", "OPTIONS"];

export function guardRequest(method: string, pathname: string, search: string): Refusal | null {
  const upper = method.toUpperCase();
  const apiPath = pathname === "/api" || pathname.startsWith("/api/");
  const route = apiPath ? findApiRoute(pathname) : null;
  if (FORBIDDEN_METHODS.has(upper)) {
    return { code: "METHOD_NOT_ALLOWED", detail: `${upper} is not supported.`, allow: route ? allowedMethods(route.methods) : PAGE_METHODS };
  }
  const unreadable = unreadableUrl(pathname, search);
  if (unreadable) return { code: "MALFORMED_REQUEST", detail: unreadable };
  if (!apiPath) return null;
  if (!route) return { code: "NOT_FOUND", detail: `There is no API resource at ${pathname}; see /api-docs.` };
  const allow = allowedMethods(route.methods);
  if (!allow.includes(upper)) {
    return { code: "METHOD_NOT_ALLOWED", detail: `${route.path} does not take ${upper}; it takes ${allow.join(", ")}.`, allow };
  }
  return null;
}

/** Why a URL cannot be read (bad percent-encoding or NUL in the path, NUL in the query), or null. */
export function unreadableUrl(pathname: string, search: string): string | null {
  for (const segment of pathname.split("/")) {
    const decoded = safeDecodeURIComponent(segment);
    if (decoded === null) return "The path has invalid percent-encoding (such as %ZZ, or bytes that are not UTF-8 like %C0%AF).";
    if (decoded.includes("\u0000") || hasLoneSurrogate(decoded)) return "The path contains a NUL or an invalid character.";
  }
  for (const [key, value] of new URLSearchParams(search)) {
    if (`${key}${value}`.includes("\u0000")) return "The query string contains a NUL character (%00).";
  }
  return null;
}

/** The RFC 9457 body for a refusal (the same shape as server/http/problem.ts's). */
export function refusalBody(refusal: Refusal, correlationId: string): Record<string, unknown> {
  const meta = ERROR_CODES[refusal.code];
  return {
    type: `/api-docs#error-${refusal.code.toLowerCase().replace(/_/g, "-")}`,
    title: meta.title,
    status: meta.status,
    code: refusal.code,
    detail: refusal.detail,
    correlation_id: correlationId,
    retryable: meta.retryable,
  };
}

export function refusalHeaders(refusal: Refusal, correlationId: string): Record<string, string> {
  return {
    "content-type": "application/problem+json",
    "x-correlation-id": correlationId,
    "x-holdfast-error-code": refusal.code,
    "cache-control": "no-store",
    ...(refusal.allow ? { allow: refusal.allow.join(", ") } : {}),
  };
}

/**
 * A server action called from another origin (a forged form or fetch: the browser's Origin
 * is not this host) is refused 403 FORBIDDEN here, before Next.js, whose own origin check
 * would throw and answer 500. Same host means the Origin's host equals X-Forwarded-Host
 * or Host, as Next.js compares them. docs/operations.md#security-headers.
 */
export function crossOriginActionRefusal(method: string, headers: Headers): Refusal | null {
  if (method.toUpperCase() !== "POST" || !headers.has("next-action")) return null;
  const origin = headers.get("origin");
  if (!origin) return null; // no Origin: not a browser's cross-site request; Next.js decides
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  const host = headers.get("x-forwarded-host")?.split(",")[0]?.trim() || headers.get("host") || "";
  if (originHost && originHost.toLowerCase() === host.toLowerCase()) return null;
  return { code: "FORBIDDEN", detail: "A console action must come from the console's own origin." };
}
