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
    client.$queryRaw<{ endpoint: string; partner: string; undelivered: number; oldest_s: number | null; dead: number }[]>`
      SELECT ep.id AS endpoint, p.code AS partner, coalesce(b.n, 0)::int AS undelivered,
             extract(epoch FROM now() - b.oldest)::float8 AS oldest_s, coalesce(d.n, 0)::int AS dead
      FROM webhook_endpoints ep JOIN partners p ON p.id = ep.partner_id
      LEFT JOIN LATERAL (SELECT count(*) AS n, min(created_at) AS oldest FROM webhook_deliveries
                         WHERE endpoint_id = ep.id AND status IN ('PENDING', 'RETRYING')) b ON true
      LEFT JOIN LATERAL (SELECT count(*) AS n FROM webhook_deliveries WHERE endpoint_id = ep.id AND status = 'DEAD') d ON true
      WHERE ep.deleted_at IS NULL`,
    client.discrepancy.groupBy({ by: ["severity"], where: { status: "OPEN" }, _count: { _all: true } }),
    client.incident.groupBy({ by: ["severity"], where: { status: { not: "RESOLVED" } }, _count: { _all: true } }),
    client.$queryRawUnsafe<{ age_seconds: number }[]>(HORIZON_AGE_SQL),
  ]);
  const [pools, bookings, worker, endpoints, discrepancies, incidents, horizon] = await withTimeout(read, timeoutMs, "The metrics snapshot");
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
    alerts: {
      endpoints: endpoints.map((e) => ({
        endpoint: e.endpoint,
        partner: e.partner,
        undelivered: e.undelivered,
        oldestUndeliveredSeconds: Math.max(0, e.oldest_s ?? 0),
        deadLetters: e.dead,
      })),
      openDiscrepancies: discrepancies.map((d) => ({ severity: d.severity, count: d._count._all })),
      openIncidents: incidents.map((i) => ({ severity: i.severity, count: i._count._all })),
    },
  };
}
