import type { Task } from "graphile-worker";
import { rollupKpis } from "../domain/kpis/rollup-kpis";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/**
 * Rolls the KPIs up into hourly and daily buckets (server/domain/kpis/rollup-kpis.ts).
 * Idempotent: each run recomputes the buckets since the last run's watermark (less a
 * margin for late rows); the first run on a database backfills from the oldest fact.
 */
export const kpiRollup: Task<typeof JOBS.kpiRollup> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.kpiRollup], payload, helpers);
  const result = await rollupKpis();
  helpers.logger.info(`KPI roll-up: ${result.hourlyRows} hourly and ${result.dailyRows} daily rows from ${result.from.toISOString()}`, {
    correlationId: jobCorrelationId(input, helpers),
    full: result.full,
    durationMs: result.durationMs,
  });
};
