import { DomainError } from "@/server/domain/shared/errors";
import { problemResponse } from "@/server/http/problem";
import { correlationIdOf } from "@/server/observability/correlation";

export const dynamic = "force-dynamic";

/**
 * Any /api path no route serves: a problem+json 404, never Next's HTML page. proxy.ts
 * answers these first (server/http/request-guard.ts); this is the route behind it.
 */
function notFound(request: Request): Response {
  const correlationId = correlationIdOf(request);
  const { pathname } = new URL(request.url);
  return problemResponse(new DomainError("NOT_FOUND", `There is no API resource at ${pathname}; see /api-docs.`), correlationId);
}

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE };
