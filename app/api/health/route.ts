import { checkReadiness } from "@/server/domain/ops/readiness";
import { correlationIdOf } from "@/server/observability/correlation";
import { logger } from "@/server/observability/logger";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

const NO_STORE = { "cache-control": "no-store" };

/**
 * GET /api/health            readiness: the database answers `select 1` within 2 s and a
 *                            worker has beaten recently → 200, else 503 naming the check.
 * GET /api/health?probe=live liveness: the process answers; touches nothing (also
 *                            /api/health/live).
 */
export async function GET(request: Request): Promise<Response> {
  if (new URL(request.url).searchParams.get("probe") === "live") {
    return Response.json({ status: "ok" }, { headers: NO_STORE });
  }
  try {
    const report = await checkReadiness();
    return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: NO_STORE });
  } catch (error) {
    const correlationId = correlationIdOf(request);
    logger.error({ err: error, correlationId }, "readiness check failed unexpectedly");
    return Response.json(
      { status: "unavailable", error: "The readiness check failed.", correlation_id: correlationId },
      { status: 503, headers: NO_STORE },
    );
  }
}
