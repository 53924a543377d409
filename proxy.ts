import { NextResponse, type NextRequest } from "next/server";
import { CORRELATION_HEADER, correlationIdFrom } from "./server/observability/correlation";

/**
 * Next.js 16 Proxy (formerly middleware.ts; Node.js runtime): every request gets a
 * correlation id — the caller's X-Correlation-Id when sane, otherwise a new one — which
 * is forwarded to the route as a request header and returned on the response.
 */
export function proxy(request: NextRequest): NextResponse {
  const correlationId = correlationIdFrom(request.headers.get(CORRELATION_HEADER));
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set(CORRELATION_HEADER, correlationId);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set(CORRELATION_HEADER, correlationId);
  return response;
}

export const config = {
  // Everything but static assets (build output, image optimisation, the favicon).
  matcher: ["/((?!_next/static|_next/image|favicon.ico).*)"],
};
