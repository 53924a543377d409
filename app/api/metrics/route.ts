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
 */
export async function GET(): Promise<Response> {
  let snapshot: MetricsSnapshot | null = null;
  try {
    snapshot = await readMetricsSnapshot();
  } catch (error) {
    logger.warn({ err: error }, "metrics: database snapshot failed");
  }
  const body = await renderMetrics(snapshot);
  return new Response(body, { headers: { "content-type": METRICS_CONTENT_TYPE, "cache-control": "no-store" } });
}
