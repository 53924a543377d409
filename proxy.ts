import { NextResponse, type NextRequest } from "next/server";
import { config as settings } from "./server/config";
import { crossOriginActionRefusal, guardRequest, refusalBody, refusalHeaders } from "./server/http/request-guard";
import { newNonce, NONCE_HEADER, securityHeaders } from "./server/http/security-headers";
import { CORRELATION_HEADER, correlationIdFrom } from "./server/observability/correlation";

/**
 * Next.js 16 Proxy (formerly middleware.ts; Node.js runtime): every request gets a
 * correlation id — the caller's X-Correlation-Id when sane, otherwise a new one — which
 * is forwarded to the route as a request header and returned on the response.
 *
 * Before any route sees it, a request no route can answer is refused with problem+json
 * (server/http/request-guard.ts): a path with bad percent-encoding or NUL (400), an
 * unknown /api path (404), a method the route does not take (405 with Allow).
 *
 * Every answer, refusals included, carries the security headers
 * (server/http/security-headers.ts): a Content-Security-Policy with a nonce made for this
 * request — also set on the request, where Next.js reads it to put the nonce on its inline
 * scripts — HSTS over https, Permissions-Policy, and no-store on the API.
 */
export function proxy(request: NextRequest): NextResponse {
  const correlationId = correlationIdFrom(request.headers.get(CORRELATION_HEADER));
  const nonce = newNonce();
  const security = securityHeaders({
    pathname: request.nextUrl.pathname,
    https: request.nextUrl.protocol === "https:" || settings().edge.behindTlsProxy,
    development: settings().edge.development,
    nonce,
  });
  const refusal =
    guardRequest(request.method, request.nextUrl.pathname, request.nextUrl.search) ??
    crossOriginActionRefusal(request.method, request.headers);
  if (refusal) {
    const body = refusalBody(refusal, correlationId);
    return NextResponse.json(body, { status: body.status as number, headers: { ...refusalHeaders(refusal, correlationId), ...security } });
  }
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(CORRELATION_HEADER, correlationId);
  requestHeaders.set(NONCE_HEADER, nonce);
  requestHeaders.set("content-security-policy", security["content-security-policy"]!);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set(CORRELATION_HEADER, correlationId);
  for (const [name, value] of Object.entries(security)) response.headers.set(name, value);
  return response;
}

export const config = {
  // Everything but static assets (build output, image optimisation, the favicon).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
