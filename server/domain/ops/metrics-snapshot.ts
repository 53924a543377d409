import { getDb, type Db } from "../../db";
import { HORIZON_AGE_SQL } from "../events/outbox-horizon";
import type { JobQueueSnapshot, MetricsSnapshot } from "../../observability/metrics";
import { readSignals } from "../incidents/read-signals";
import { withTimeout } from "./timeout";
import { readWorkerStatus } from "./worker-status";

const METRICS_SNAPSHOT_TIMEOUT_MS = 2000;

/**
 * graphile-worker's queue per task. Its schema is the worker's to install
 * (server/worker/worker-schema.ts): until a worker has started there is no queue to read.
 */
async function readJobQueue(client: Db): Promise<JobQueueSnapshot[] | undefined> {
  const [schema] = await client.$queryRaw<{ installed: boolean }[]>`
    SELECT to_regclass('graphile_worker._private_jobs') IS NOT NULL AS installed`;
  if (!schema?.installed) return undefined;
  const rows = await client.$queryRaw<{ task: string; ready: number; oldest_s: number | null; failed: number }[]>`
    SELECT t.identifier AS task,
           count(*) FILTER (WHERE j.locked_at IS NULL AND j.attempts < j.max_attempts AND j.run_at <= now())::int AS ready,
           extract(epoch FROM now() - min(j.run_at) FILTER (WHERE j.locked_at IS NULL AND j.attempts < j.max_attempts AND j.run_at <= now()))::float8 AS oldest_s,
           count(*) FILTER (WHERE j.attempts >= j.max_attempts)::int AS failed
    FROM graphile_worker._private_jobs j JOIN graphile_worker._private_tasks t ON t.id = j.task_id
    GROUP BY t.identifier`;
  return rows.map((r) => ({ task: r.task, ready: r.ready, oldestReadySeconds: Math.max(0, r.oldest_s ?? 0), failed: r.failed }));
}

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
    // What the built-in alert rules measure, read as one evaluation reads it.
    readSignals(client, new Date()),
    readJobQueue(client),
  ]);
  const [pools, bookings, worker, endpoints, discrepancies, incidents, horizon, signals, jobQueue] = await withTimeout(read, timeoutMs, "The metrics snapshot");
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
      signals: signals.map((m) => ({
        rule: m.rule,
        subjectType: m.subjectType,
        subjectId: m.subjectId,
        subjectLabel: m.subjectLabel,
        value: m.value,
        ...(m.severity ? { severity: m.severity } : {}),
      })),
      holdExpiryLag: holdExpiryLag(pools.map((p) => p.facility.code), signals),
      jobQueue,
    },
  };
}

/** Every facility with a pool at 0, then the facilities with overdue holds at their lag. */
function holdExpiryLag(facilities: string[], signals: Awaited<ReturnType<typeof readSignals>>): { facility: string; seconds: number }[] {
  const lag = new Map(facilities.map((f) => [f, 0]));
  for (const m of signals) {
    if (m.rule !== "holds_past_expiry") continue;
    const code = typeof m.detail.facilityCode === "string" ? m.detail.facilityCode : m.subjectLabel;
    lag.set(code, m.value);
  }
  return [...lag].map(([facility, seconds]) => ({ facility, seconds }));
}
