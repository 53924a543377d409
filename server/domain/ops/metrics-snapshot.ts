import { getDb, type Db } from "../../db";
import { HORIZON_AGE_SQL } from "../events/outbox-horizon";
import type { MetricsSnapshot } from "../../observability/metrics";
import { withTimeout } from "./timeout";
import { readWorkerStatus } from "./worker-status";

const METRICS_SNAPSHOT_TIMEOUT_MS = 2000;

/** What /api/metrics reports about the business, read at scrape time. */
export async function readMetricsSnapshot(
  { db, timeoutMs = METRICS_SNAPSHOT_TIMEOUT_MS }: { db?: Db; timeoutMs?: number } = {},
): Promise<MetricsSnapshot> {
  const client = db ?? getDb();
  const read = Promise.all([
    client.inventoryPool.findMany({
      select: {
        total: true,
        available: true,
        held: true,
        booked: true,
        occupied: true,
        blocked: true,
        facility: { select: { code: true } },
        unitType: { select: { code: true } },
      },
    }),
    client.booking.groupBy({ by: ["status"], _count: { _all: true } }),
    readWorkerStatus(client),
    client.$queryRawUnsafe<{ age_seconds: number }[]>(HORIZON_AGE_SQL),
  ]);
  const [pools, bookings, worker, horizon] = await withTimeout(read, timeoutMs, "The metrics snapshot");
  return {
    pools: pools.map((p) => ({
      facility: p.facility.code,
      unitType: p.unitType.code,
      total: p.total,
      available: p.available,
      held: p.held,
      booked: p.booked,
      occupied: p.occupied,
      blocked: p.blocked,
    })),
    bookings: bookings.map((b) => ({ status: b.status.toLowerCase(), count: b._count._all })),
    workerLastBeatAt: worker.lastBeatAt,
    outboxHorizonAgeSeconds: Number(horizon[0]?.age_seconds ?? 0),
  };
}
