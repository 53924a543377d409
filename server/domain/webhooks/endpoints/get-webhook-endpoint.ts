import { getDb } from "../../../db";
import { Prisma } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { loadEndpoint, toEndpointView, type WebhookEndpointView } from "./webhook-endpoint-view";

/**
 * An endpoint with its health (docs/webhooks.md#endpoint-health): success rate and p50/p95
 * latency over the last 24 h of attempts, the failure streak, the oldest event not yet
 * delivered (lag), and per pool the last inventory_version the endpoint acknowledged
 * against the current one.
 */

const HEALTH_WINDOW_HOURS = 24;

export interface PoolAckView {
  poolId: string;
  facilityCode: string;
  unitTypeCode: string;
  ackedVersion: number;
  ackedAt: Date;
  currentVersion: number;
  /** versions the endpoint has not acknowledged yet */
  versionsBehind: number;
}

export interface EndpointHealth {
  windowHours: number;
  attempts: number;
  succeeded: number;
  /** succeeded / attempts in the window; null without attempts */
  successRate: number | null;
  latencyP50Ms: number | null;
  latencyP95Ms: number | null;
  consecutiveFailures: number;
  failingSince: Date | null;
  lastSuccessAt: Date | null;
  lastFailureAt: Date | null;
  /** deliveries still to make (PENDING or RETRYING, parked ones included) */
  pendingDeliveries: number;
  deadDeliveries: number;
  oldestUndelivered: { eventId: string; eventType: string; createdAt: Date; lagSeconds: number } | null;
}

/** An endpoint in the list: its health without the per-pool versions. */
export interface WebhookEndpointSummary extends WebhookEndpointView {
  health: EndpointHealth;
}

/** One endpoint: its health and, per pool, the version it acknowledged. */
export interface WebhookEndpointWithHealth extends WebhookEndpointView {
  health: EndpointHealth & { poolAcks: PoolAckView[] };
}

/** What the health adds to an endpoint's own counters. */
type Measured = Omit<EndpointHealth, "consecutiveFailures" | "failingSince" | "lastSuccessAt" | "lastFailureAt">;

/**
 * The measured health of many endpoints at once (docs/performance.md#endpoint-health):
 * four grouped statements, whatever the number of endpoints — the 24 h attempt
 * statistics from the covering index `webhook_attempts_endpoint_health` (an index-only
 * scan of the window), pending counts and the oldest undelivered event per endpoint from
 * `(endpoint_id, status, created_at)`, dead counts from the small partial index
 * `webhook_deliveries_dead_by_endpoint`. With a facility scope, what names
 * deliveries is limited to those facilities. The pools' acknowledged versions, one row per
 * endpoint and pool, are the endpoint page's (`measurePoolAcks`), not the list's.
 */
export async function measureEndpointHealth(
  endpointIds: readonly string[],
  options: { now: Date; facilityIds?: readonly string[] | null },
): Promise<Map<string, Measured>> {
  const db = getDb();
  const { now } = options;
  const ids = [...endpointIds];
  const since = new Date(now.getTime() - HEALTH_WINDOW_HOURS * 3_600_000);
  const scope = options.facilityIds ? [...options.facilityIds] : null;
  const deliveryScope = scope ? Prisma.sql`AND d.facility_id = ANY(${scope}::uuid[])` : Prisma.empty;
  const [stats, pending, dead, oldest] = await Promise.all([
    db.$queryRaw<{ endpoint_id: string; attempts: number; succeeded: number; p50: number | null; p95: number | null }[]>`
      SELECT endpoint_id, count(*)::int AS attempts,
             count(*) FILTER (WHERE response_status BETWEEN 200 AND 299)::int AS succeeded,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
      FROM webhook_attempts
      WHERE endpoint_id = ANY(${ids}::text[]) AND started_at >= ${since} AND started_at <= ${now}
      GROUP BY endpoint_id`,
    db.$queryRaw<{ endpoint_id: string; pending: number }[]>`
      SELECT d.endpoint_id, count(*)::int AS pending
      FROM webhook_deliveries d
      WHERE d.endpoint_id = ANY(${ids}::text[]) AND d.status IN ('PENDING', 'RETRYING') ${deliveryScope}
      GROUP BY d.endpoint_id`,
    // the literal status lets the planner use the partial index webhook_deliveries_dead_by_endpoint
    db.$queryRaw<{ endpoint_id: string; dead: number }[]>`
      SELECT d.endpoint_id, count(*)::int AS dead
      FROM webhook_deliveries d
      WHERE d.endpoint_id = ANY(${ids}::text[]) AND d.status = 'DEAD' ${deliveryScope}
      GROUP BY d.endpoint_id`,
    db.$queryRaw<{ endpoint_id: string; event_id: string; type: string; created_at: Date }[]>`
      SELECT ep.id AS endpoint_id, o.event_id, o.type, o.created_at
      FROM unnest(${ids}::text[]) AS ep(id)
      CROSS JOIN LATERAL (
        SELECT e.id AS event_id, e.type, e.created_at
        FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
        WHERE d.endpoint_id = ep.id AND d.status IN ('PENDING', 'RETRYING') ${deliveryScope}
        ORDER BY d.created_at, e.created_at
        LIMIT 1
      ) o`,
  ]);
  const health = new Map<string, Measured>();
  for (const id of ids) {
    const attemptStats = stats.find((r) => r.endpoint_id === id) ?? { attempts: 0, succeeded: 0, p50: null, p95: null };
    const pendingCount = pending.find((r) => r.endpoint_id === id)?.pending ?? 0;
    const deadCount = dead.find((r) => r.endpoint_id === id)?.dead ?? 0;
    const first = oldest.find((r) => r.endpoint_id === id);
    health.set(id, {
      windowHours: HEALTH_WINDOW_HOURS,
      attempts: attemptStats.attempts,
      succeeded: attemptStats.succeeded,
      successRate: attemptStats.attempts ? attemptStats.succeeded / attemptStats.attempts : null,
      latencyP50Ms: attemptStats.p50 === null ? null : Math.round(Number(attemptStats.p50)),
      latencyP95Ms: attemptStats.p95 === null ? null : Math.round(Number(attemptStats.p95)),
      pendingDeliveries: pendingCount,
      deadDeliveries: deadCount,
      oldestUndelivered: first
        ? {
            eventId: first.event_id,
            eventType: first.type,
            createdAt: first.created_at,
            lagSeconds: Math.max(0, Math.round((now.getTime() - first.created_at.getTime()) / 1000)),
          }
        : null,
    });
  }
  return health;
}

/** Per pool, the last inventory_version each endpoint acknowledged against the current one. */
export async function measurePoolAcks(
  endpointIds: readonly string[],
  options: { facilityIds?: readonly string[] | null } = {},
): Promise<Map<string, PoolAckView[]>> {
  const ids = [...endpointIds];
  const scope = options.facilityIds ? [...options.facilityIds] : null;
  const poolScope = scope ? Prisma.sql`AND ip.facility_id = ANY(${scope}::uuid[])` : Prisma.empty;
  const acks = await getDb().$queryRaw<
      { endpoint_id: string; pool_id: string; facility_code: string; unit_type_code: string; acked_version: number; acked_at: Date; inventory_version: number }[]
    >`
      SELECT a.endpoint_id, a.pool_id, f.code AS facility_code, ut.code AS unit_type_code, a.acked_version, a.acked_at, ip.inventory_version
      FROM endpoint_pool_acks a
      JOIN inventory_pools ip ON ip.id = a.pool_id
      JOIN facilities f ON f.id = ip.facility_id
      JOIN unit_types ut ON ut.id = ip.unit_type_id
      WHERE a.endpoint_id = ANY(${ids}::text[]) ${poolScope}
      ORDER BY a.endpoint_id, f.code, ut.code`;
  const byEndpoint = new Map<string, PoolAckView[]>(ids.map((id) => [id, []]));
  for (const a of acks) {
    byEndpoint.get(a.endpoint_id)?.push({
      poolId: a.pool_id,
      facilityCode: a.facility_code,
      unitTypeCode: a.unit_type_code,
      ackedVersion: a.acked_version,
      ackedAt: a.acked_at,
      currentVersion: a.inventory_version,
      versionsBehind: Math.max(0, a.inventory_version - a.acked_version),
    });
  }
  return byEndpoint;
}

/** An endpoint's own failure counters, as the health shows them. */
export function withHealth(endpoint: WebhookEndpointView, measured: Measured): WebhookEndpointSummary {
  return {
    ...endpoint,
    health: {
      ...measured,
      consecutiveFailures: endpoint.consecutiveFailures,
      failingSince: endpoint.failingSince,
      lastSuccessAt: endpoint.lastSuccessAt,
      lastFailureAt: endpoint.lastFailureAt,
    },
  };
}

export async function getWebhookEndpoint(
  endpointId: string,
  actor: Actor,
  options: { now?: Date; facilityIds?: readonly string[] | null } = {},
): Promise<WebhookEndpointWithHealth> {
  const db = getDb();
  const now = options.now ?? new Date();
  const endpoint = await loadEndpoint(db, actor, endpointId, "read");
  const facilityIds = options.facilityIds ?? null;
  const [measured, acks] = await Promise.all([measureEndpointHealth([endpointId], { now, facilityIds }), measurePoolAcks([endpointId], { facilityIds })]);
  const summary = withHealth(toEndpointView(endpoint, now), measured.get(endpointId)!);
  return { ...summary, health: { ...summary.health, poolAcks: acks.get(endpointId) ?? [] } };
}
