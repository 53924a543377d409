import { rollupKpis } from "../../server/domain/kpis/rollup-kpis";
import type { PrismaClient } from "../../server/generated/prisma/client";

const KPI_STEP_NAME = "KPI roll-up";

/**
 * Rolls the freshly written history up into the KPI buckets, so /kpis shows the demo's
 * 90 days on the first start instead of after the worker's first run. The worker's
 * minute job carries on from the watermark this leaves.
 */
export async function seedKpiRollup(db: PrismaClient, log: (line: string) => void): Promise<void> {
  const result = await rollupKpis({ db, full: true });
  log(`${KPI_STEP_NAME}: ${result.hourlyRows} hourly and ${result.dailyRows} daily rows in ${result.durationMs} ms`);
}
