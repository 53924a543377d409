import type { Task } from "graphile-worker";
import { rollupKpis } from "../domain/kpis/rollup-kpis";
import { BasePayload, jobCorrelationId, parsePayload } from "./context";

export const KPI_ROLLUP = "kpi_rollup";

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace -- graphile-worker's typed task registry
  namespace GraphileWorker {
    interface Tasks {
      kpi_rollup: BasePayload;
    }
  }
}

/**
 * Rolls the KPIs up into hourly and daily buckets (server/domain/kpis/rollup-kpis.ts).
 * Idempotent: each run recomputes the buckets since the last run's watermark (less a
 * margin for late rows); the first run on a database backfills from the oldest fact.
 */
export const kpiRollup: Task<"kpi_rollup"> = async (payload, helpers) => {
  const input = parsePayload(BasePayload, payload, helpers);
  const result = await rollupKpis();
  helpers.logger.info(`KPI roll-up: ${result.hourlyRows} hourly and ${result.dailyRows} daily rows from ${result.from.toISOString()}`, {
    correlationId: jobCorrelationId(input, helpers),
    full: result.full,
    durationMs: result.durationMs,
  });
};
