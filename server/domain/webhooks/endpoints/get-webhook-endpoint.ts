import { getDb } from "../../../db";
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
  poolAcks: PoolAckView[];
}

export interface WebhookEndpointWithHealth extends WebhookEndpointView {
  health: EndpointHealth;
}

export async function getWebhookEndpoint(
  endpointId: string,
  actor: Actor,
  options: { now?: Date } = {},
): Promise<WebhookEndpointWithHealth> {
  const db = getDb();
  const now = options.now ?? new Date();
  const endpoint = await loadEndpoint(db, actor, endpointId, "read");
  const since = new Date(now.getTime() - HEALTH_WINDOW_HOURS * 3_600_000);
  const [stats, pending, oldest, acks] = await Promise.all([
    db.$queryRaw<{ attempts: number; succeeded: number; p50: number | null; p95: number | null }[]>`
      SELECT count(*)::int AS attempts,
             count(*) FILTER (WHERE response_status BETWEEN 200 AND 299)::int AS succeeded,
             percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50,
             percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95
      FROM webhook_attempts
      WHERE endpoint_id = ${endpointId} AND started_at >= ${since} AND started_at <= ${now}`,
    db.$queryRaw<{ pending: number; dead: number }[]>`
      SELECT count(*) FILTER (WHERE status IN ('PENDING', 'RETRYING'))::int AS pending,
             count(*) FILTER (WHERE status = 'DEAD')::int AS dead
      FROM webhook_deliveries WHERE endpoint_id = ${endpointId} AND status IN ('PENDING', 'RETRYING', 'DEAD')`,
    db.$queryRaw<{ event_id: string; type: string; created_at: Date }[]>`
      SELECT e.id AS event_id, e.type, e.created_at
      FROM webhook_deliveries d JOIN events e ON e.id = d.event_id
      WHERE d.endpoint_id = ${endpointId} AND d.status IN ('PENDING', 'RETRYING')
      ORDER BY d.created_at, e.created_at
      LIMIT 1`,
    db.$queryRaw<
      { pool_id: string; facility_code: string; unit_type_code: string; acked_version: number; acked_at: Date; inventory_version: number }[]
    >`
      SELECT a.pool_id, f.code AS facility_code, ut.code AS unit_type_code, a.acked_version, a.acked_at, ip.inventory_version
      FROM endpoint_pool_acks a
      JOIN inventory_pools ip ON ip.id = a.pool_id
      JOIN facilities f ON f.id = ip.facility_id
      JOIN unit_types ut ON ut.id = ip.unit_type_id
      WHERE a.endpoint_id = ${endpointId}
      ORDER BY f.code, ut.code`,
  ]);
  const attemptStats = stats[0] ?? { attempts: 0, succeeded: 0, p50: null, p95: null };
  const first = oldest[0];
  return {
    ...toEndpointView(endpoint, now),
    health: {
      windowHours: HEALTH_WINDOW_HOURS,
      attempts: attemptStats.attempts,
      succeeded: attemptStats.succeeded,
      successRate: attemptStats.attempts ? attemptStats.succeeded / attemptStats.attempts : null,
      latencyP50Ms: attemptStats.p50 === null ? null : Math.round(Number(attemptStats.p50)),
      latencyP95Ms: attemptStats.p95 === null ? null : Math.round(Number(attemptStats.p95)),
      consecutiveFailures: endpoint.consecutive_failures,
      failingSince: endpoint.failing_since,
      lastSuccessAt: endpoint.last_success_at,
      lastFailureAt: endpoint.last_failure_at,
      pendingDeliveries: pending[0]?.pending ?? 0,
      deadDeliveries: pending[0]?.dead ?? 0,
      oldestUndelivered: first
        ? {
            eventId: first.event_id,
            eventType: first.type,
            createdAt: first.created_at,
            lagSeconds: Math.max(0, Math.round((now.getTime() - first.created_at.getTime()) / 1000)),
          }
        : null,
      poolAcks: acks.map((a) => ({
        poolId: a.pool_id,
        facilityCode: a.facility_code,
        unitTypeCode: a.unit_type_code,
        ackedVersion: a.acked_version,
        ackedAt: a.acked_at,
        currentVersion: a.inventory_version,
        versionsBehind: Math.max(0, a.inventory_version - a.acked_version),
      })),
    },
  };
}
