import crypto from "node:crypto";
import { config } from "@/server/config";
import { readMetricsSnapshot } from "@/server/domain/ops/metrics-snapshot";
import { logger } from "@/server/observability/logger";
import { METRICS_CONTENT_TYPE, renderMetrics, type MetricsSnapshot } from "@/server/observability/metrics";

export const dynamic = "force-dynamic";
export const runtime = "nodejs";

/**
 * GET /api/metrics — Prometheus text: process metrics, request and webhook counters, and
 * holdfast_* gauges read from the database at scrape time. When the database cannot be
 * read, the gauges are left out and holdfast_metrics_snapshot_up is 0 (still a 200, so
 * the process metrics keep flowing).
 *
 * It publishes occupancy per facility, so it is not anonymous: with HOLDFAST_METRICS_TOKEN
 * set, the scrape must send `Authorization: Bearer <token>`; without one, it is refused
 * outside demo mode (docs/operations.md#health-and-metrics).
 */
export async function GET(request: Request): Promise<Response> {
  if (!metricsAllowed(request.headers.get("authorization"))) {
    return Response.json(
      { status: 401, code: "UNAUTHENTICATED", detail: "Send the metrics token as Authorization: Bearer <HOLDFAST_METRICS_TOKEN>." },
      { status: 401, headers: { "www-authenticate": 'Bearer realm="metrics"', "cache-control": "no-store" } },
    );
  }
  let snapshot: MetricsSnapshot | null = null;
  try {
    snapshot = await readMetricsSnapshot();
  } catch (error) {
    logger.warn({ err: error }, "metrics: database snapshot failed");
  }
  const body = await renderMetrics(snapshot);
  return new Response(body, { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
}

function metricsAllowed(authorization: string | null): boolean {
  const { demo, edge } = config();
  if (!edge.metricsToken) return demo;
  const given = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? "")?.[1] ?? "";
  const [a, b] = [crypto.createHash("sha256").update(given).digest(), crypto.createHash("sha256").update(edge.metricsToken).digest()];
  return crypto.timingSafeEqual(a, b);
}
