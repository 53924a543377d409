/**
 * The security headers every response carries (proxy.ts sets them; docs/operations.md#security-headers).
 * Pure (no Next.js, no config reads), so the unit tests and proxy.ts share it.
 *
 * - Content-Security-Policy with a fresh nonce per request: Next.js reads the policy from
 *   the request headers and puts the nonce on its own inline scripts, so nothing else
 *   runs ('strict-dynamic' lets those scripts load the build's chunks). No 'unsafe-eval'
 *   in production (React's development build needs it for its stack traces). Styles keep
 *   'unsafe-inline': components and charts set style attributes, which a nonce cannot cover,
 *   and a style cannot run code.
 * - Strict-Transport-Security when the request came over https or the app is configured as
 *   behind a TLS-terminating proxy (HOLDFAST_BEHIND_TLS_PROXY), never over plain http
 *   (a browser would then refuse a plain-http demo on localhost for a year).
 * - Permissions-Policy: no camera, microphone, geolocation, payment, USB and the like.
 * - API responses are `no-store` (they carry people's data); the OpenAPI document sets
 *   its own, minutes-long, cache.
 */

export const NONCE_HEADER = "x-nonce";

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString("base64");
}

export function contentSecurityPolicy(nonce: string, options: { development: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${options.development ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${options.development ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'none'",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
  ].join("; ");
}

export const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "publickey-credentials-get=()",
  "usb=()",
  "interest-cohort=()",
].join(", ");

export const HSTS = "max-age=31536000; includeSubDomains";

/** Paths whose answers may be cached (a public document that changes only with a deploy). */
const CACHEABLE_API_PATHS = new Set(["/api/v1/openapi.json"]);

export interface SecurityHeaderOptions {
  pathname: string;
  /** the request reached us over https, or HOLDFAST_BEHIND_TLS_PROXY says a proxy terminated TLS */
  https: boolean;
  development: boolean;
  nonce: string;
}

/** The headers a response gets, by name. */
export function securityHeaders(options: SecurityHeaderOptions): Record<string, string> {
  const headers: Record<string, string> = {
    "content-security-policy": contentSecurityPolicy(options.nonce, { development: options.development }),
    "permissions-policy": PERMISSIONS_POLICY,
    "cross-origin-opener-policy": "same-origin",
  };
  if (options.https) headers["strict-transport-security"] = HSTS;
  const api = options.pathname === "/api" || options.pathname.startsWith("/api/");
  if (api && !CACHEABLE_API_PATHS.has(options.pathname)) headers["cache-control"] = "no-store";
  return headers;
}
