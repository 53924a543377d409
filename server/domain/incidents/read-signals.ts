import type { Tx } from "@/server/domain/shared/tx";
import type { AlertRuleName, Severity, SubjectType } from "@/shared/alert-rules";

/**
 * What the alert rules look at, measured per subject in a few set-based statements
 * (docs/operations.md#alerts-and-incidents). A measurement is not yet a condition: the
 * thresholds (defaults and overrides) are applied by evaluate-alerts.ts. Only subjects
 * with something to report come back, so a healthy system reads almost nothing.
 */

export interface Measurement {
  rule: AlertRuleName;
  subjectType: SubjectType;
  subjectId: string;
  subjectLabel: string;
  facilityId: string | null;
  partnerId: string | null;
  value: number;
  /** a severity the signal itself carries (drift: its highest discrepancy) */
  severity?: Severity;
  summary: string;
  detail: Record<string, unknown>;
}

/** The windows the rules measure over. */
export const SIGNAL_WINDOWS = {
  failureRateMs: 60 * 60_000,
  failureRateMinAttempts: 10,
  deadLettersMs: 24 * 3_600_000,
  paymentFailuresMs: 60 * 60_000,
  syncLagMs: 60 * 60_000,
  apiRefusalsMs: 5 * 60_000,
} as const;

/** The events that carry a pool's inventory to partners (docs/webhooks.md#event-types). */
const INVENTORY_EVENT_TYPES = ["inventory.updated", "inventory.corrected"];

/** The subject of 401s that no partner can be named for (an unknown or revoked key). */
export const UNKNOWN_KEYS_SUBJECT = "unknown-keys";

interface EndpointSignalRow {
  id: string;
  partner_id: string;
  partner_code: string;
  status: "ACTIVE" | "DISABLED";
  disabled_reason: string | null;
  consecutive_failures: number;
  oldest_undelivered_s: number | null;
  undelivered: number;
  dead_recent: number;
  first_attempts: number;
  first_failures: number;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en-GB")} ${n === 1 ? one : many}`;
}

function duration(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  if (seconds < 172_800) return `${Math.round(seconds / 3600)} h`;
  return `${Math.round(seconds / 86_400)} days`;
}

async function endpointSignals(tx: Tx, now: Date): Promise<Measurement[]> {
  const rateSince = new Date(now.getTime() - SIGNAL_WINDOWS.failureRateMs);
  const deadSince = new Date(now.getTime() - SIGNAL_WINDOWS.deadLettersMs);
  // Only endpoints with something to say: failing, disabled, a backlog or dead letters.
  const rows = await tx.$queryRaw<EndpointSignalRow[]>`
    SELECT ep.id, ep.partner_id, p.code AS partner_code, ep.status::text AS status, ep.disabled_reason,
           ep.consecutive_failures,
           extract(epoch FROM ${now}::timestamptz - backlog.oldest)::float8 AS oldest_undelivered_s,
           coalesce(backlog.n, 0)::int AS undelivered,
           coalesce(dead.n, 0)::int AS dead_recent,
           coalesce(rate.n, 0)::int AS first_attempts,
           coalesce(rate.failed, 0)::int AS first_failures
    FROM webhook_endpoints ep
    JOIN partners p ON p.id = ep.partner_id
    LEFT JOIN LATERAL (
      SELECT min(d.created_at) AS oldest, count(*) AS n FROM webhook_deliveries d
      WHERE d.endpoint_id = ep.id AND d.status IN ('PENDING', 'RETRYING') AND d.created_at <= ${now}::timestamptz
    ) backlog ON true
    LEFT JOIN LATERAL (
      SELECT count(*) AS n FROM webhook_deliveries d
      WHERE d.endpoint_id = ep.id AND d.status = 'DEAD' AND d.dead_at >= ${deadSince}::timestamptz
    ) dead ON true
    LEFT JOIN LATERAL (
      SELECT count(*) AS n, count(*) FILTER (WHERE a.failure_class IS NOT NULL) AS failed FROM webhook_attempts a
      WHERE a.endpoint_id = ep.id AND a.started_at >= ${rateSince}::timestamptz AND a.started_at <= ${now}::timestamptz
        AND a.attempt_number = 1 AND a.trigger = 'SCHEDULED'
    ) rate ON true
    WHERE ep.deleted_at IS NULL`;

  const out: Measurement[] = [];
  for (const r of rows) {
    const base = {
      subjectType: "endpoint" as const,
      subjectId: r.id,
      subjectLabel: `${r.partner_code} endpoint ${r.id}`,
      facilityId: null,
      partnerId: r.partner_id,
    };
    if (r.status === "DISABLED") {
      out.push({
        ...base,
        rule: "endpoint_disabled",
        value: 1,
        summary: `${r.partner_code}'s endpoint is disabled${r.disabled_reason ? `: ${r.disabled_reason}` : "."}`,
        detail: { disabled_reason: r.disabled_reason, undelivered: r.undelivered },
      });
    } else {
      // A disabled endpoint's parked backlog is the disabled incident's business.
      if (r.consecutive_failures > 0) {
        out.push({
          ...base,
          rule: "endpoint_failing",
          value: r.consecutive_failures,
          summary: `${r.partner_code}'s endpoint failed its last ${plural(r.consecutive_failures, "attempt")} in a row.`,
          detail: { consecutive_failures: r.consecutive_failures },
        });
      }
      if (r.oldest_undelivered_s !== null && r.undelivered > 0) {
        out.push({
          ...base,
          rule: "delivery_backlog",
          value: r.oldest_undelivered_s,
          summary: `${r.partner_code} is ${duration(r.oldest_undelivered_s)} behind: ${plural(r.undelivered, "event")} not yet delivered.`,
          detail: { oldest_undelivered_seconds: Math.round(r.oldest_undelivered_s), undelivered: r.undelivered },
        });
      }
    }
    if (r.first_attempts >= SIGNAL_WINDOWS.failureRateMinAttempts) {
      const rate = r.first_failures / r.first_attempts;
      out.push({
        ...base,
        rule: "endpoint_failure_rate",
        value: rate,
        summary: `${Math.round(rate * 100)} % of ${r.partner_code}'s first attempts failed in the last hour (${r.first_failures} of ${r.first_attempts}).`,
        detail: { first_attempts: r.first_attempts, first_failures: r.first_failures },
      });
    }
    if (r.dead_recent > 0) {
      out.push({
        ...base,
        rule: "dead_letters",
        value: r.dead_recent,
        summary: `${plural(r.dead_recent, "delivery", "deliveries")} to ${r.partner_code} dead-lettered in the last 24 hours.`,
        detail: { dead_letters_24h: r.dead_recent },
      });
    }
  }
  return out;
}

/**
 * Per partner, how late its endpoints get inventory: for each delivery of an inventory
 * event to an active endpoint, the seconds from the event to its 2xx — for those that
 * succeeded within the window — or to now, for those still pending or retrying (a lag
 * that is still growing), and for those dead-lettered within the window (a version the
 * partner never got). The 95th percentile of those is the measure. Versions that were
 * never sent or whose delivery died earlier are the drift check's missed versions
 * (PARTNER_VERSION, reconciliation/detect.ts), alerted as drift_open.
 */
async function partnerSyncSignals(tx: Tx, now: Date): Promise<Measurement[]> {
  const since = new Date(now.getTime() - SIGNAL_WINDOWS.syncLagMs);
  const rows = await tx.$queryRaw<{ partner_id: string; partner_code: string; p95_s: number; deliveries: number; undelivered: number; max_s: number }[]>`
    WITH samples AS (
      SELECT d.endpoint_id, extract(epoch FROM d.succeeded_at - ev.created_at)::float8 AS lag_s, false AS undelivered
      FROM webhook_deliveries d JOIN events ev ON ev.id = d.event_id
      WHERE d.status = 'SUCCEEDED' AND d.succeeded_at >= ${since}::timestamptz AND d.succeeded_at <= ${now}::timestamptz
        AND ev.type = ANY(${INVENTORY_EVENT_TYPES}::text[])
      UNION ALL
      SELECT d.endpoint_id, extract(epoch FROM ${now}::timestamptz - ev.created_at)::float8, true
      FROM webhook_deliveries d JOIN events ev ON ev.id = d.event_id
      WHERE d.status IN ('PENDING', 'RETRYING') AND d.created_at <= ${now}::timestamptz AND ev.type = ANY(${INVENTORY_EVENT_TYPES}::text[])
      UNION ALL
      SELECT d.endpoint_id, extract(epoch FROM ${now}::timestamptz - ev.created_at)::float8, true
      FROM webhook_deliveries d JOIN events ev ON ev.id = d.event_id
      WHERE d.status = 'DEAD' AND d.dead_at >= ${since}::timestamptz AND d.dead_at <= ${now}::timestamptz
        AND ev.type = ANY(${INVENTORY_EVENT_TYPES}::text[])
    )
    SELECT p.id AS partner_id, p.code AS partner_code,
           percentile_cont(0.95) WITHIN GROUP (ORDER BY greatest(s.lag_s, 0))::float8 AS p95_s,
           count(*)::int AS deliveries, count(*) FILTER (WHERE s.undelivered)::int AS undelivered,
           max(s.lag_s)::float8 AS max_s
    FROM samples s
    JOIN webhook_endpoints ep ON ep.id = s.endpoint_id AND ep.status = 'ACTIVE' AND ep.deleted_at IS NULL
    JOIN partners p ON p.id = ep.partner_id
    GROUP BY p.id, p.code`;
  return rows.map((r): Measurement => ({
    rule: "inventory_sync_lag",
    subjectType: "partner",
    subjectId: r.partner_id,
    subjectLabel: r.partner_code,
    facilityId: null,
    partnerId: r.partner_id,
    value: r.p95_s,
    summary: `${r.partner_code} gets inventory changes ${duration(r.p95_s)} late (p95 of ${plural(r.deliveries, "delivery", "deliveries")}${r.undelivered ? `, ${r.undelivered} not delivered yet` : ""}).`,
    detail: { p95_lag_seconds: Math.round(r.p95_s), max_lag_seconds: Math.round(r.max_s), deliveries: r.deliveries, undelivered: r.undelivered },
  }));
}

/**
 * Bursts of refused partner API requests: 401 (no valid key), 403 (the key lacks a
 * scope) and 429 (rate limited), per partner over a short window, as /kpis counts them
 * (api_request_log). A 401 names no partner (the key is unknown or revoked), so those
 * are one subject of their own.
 */
async function apiRefusalSignals(tx: Tx, now: Date): Promise<Measurement[]> {
  const since = new Date(now.getTime() - SIGNAL_WINDOWS.apiRefusalsMs);
  const rows = await tx.$queryRaw<{ partner_id: string | null; partner_code: string | null; unauthenticated: number; forbidden: number; limited: number }[]>`
    SELECT l.partner_id, p.code AS partner_code,
           count(*) FILTER (WHERE l.status = 401)::int AS unauthenticated,
           count(*) FILTER (WHERE l.status = 403)::int AS forbidden,
           count(*) FILTER (WHERE l.status = 429)::int AS limited
    FROM api_request_log l LEFT JOIN partners p ON p.id = l.partner_id
    WHERE l.created_at >= ${since}::timestamptz AND l.created_at <= ${now}::timestamptz AND l.status IN (401, 403, 429)
    GROUP BY l.partner_id, p.code`;
  return rows.map((r): Measurement => {
    const total = r.unauthenticated + r.forbidden + r.limited;
    const parts = [
      r.unauthenticated ? `${r.unauthenticated} × 401` : null,
      r.forbidden ? `${r.forbidden} × 403` : null,
      r.limited ? `${r.limited} × 429` : null,
    ].filter(Boolean);
    const who = r.partner_code ?? "Unknown or revoked API keys";
    return {
      rule: "api_refusals_burst",
      subjectType: "partner",
      subjectId: r.partner_id ?? UNKNOWN_KEYS_SUBJECT,
      subjectLabel: r.partner_code ?? "Unknown API keys",
      facilityId: null,
      partnerId: r.partner_id,
      value: total,
      summary: `${who}: ${plural(total, "API request")} refused in the last 5 minutes (${parts.join(", ")}).`,
      detail: { unauthenticated_401: r.unauthenticated, forbidden_403: r.forbidden, rate_limited_429: r.limited },
    };
  });
}

async function facilitySignals(tx: Tx, now: Date): Promise<Measurement[]> {
  const drift = await tx.$queryRaw<{ facility_id: string | null; facility_code: string | null; n: number; severity: Severity }[]>`
    SELECT d.facility_id, f.code AS facility_code, count(*)::int AS n, max(d.severity)::text AS severity
    FROM discrepancies d LEFT JOIN facilities f ON f.id = d.facility_id
    WHERE d.status = 'OPEN'
    GROUP BY d.facility_id, f.code`;
  const holds = await tx.$queryRaw<{ facility_id: string; facility_code: string; n: number; overdue_s: number }[]>`
    SELECT b.facility_id, f.code AS facility_code, count(*)::int AS n,
           extract(epoch FROM ${now}::timestamptz - min(b.hold_expires_at))::float8 AS overdue_s
    FROM bookings b JOIN facilities f ON f.id = b.facility_id
    WHERE b.status = 'TENTATIVE' AND b.hold_expires_at < ${now}::timestamptz
    GROUP BY b.facility_id, f.code`;
  return [
    ...drift.map((r): Measurement => ({
      rule: "drift_open",
      subjectType: "facility",
      subjectId: r.facility_id ?? "none",
      subjectLabel: r.facility_code ?? "No facility",
      facilityId: r.facility_id,
      partnerId: null,
      value: r.n,
      severity: r.severity,
      summary: `${plural(r.n, "open discrepancy", "open discrepancies")}${r.facility_code ? ` at ${r.facility_code}` : ""}, the worst ${r.severity}.`,
      detail: { open_discrepancies: r.n, worst: r.severity, facilityCode: r.facility_code },
    })),
    ...holds.map((r): Measurement => ({
      rule: "holds_past_expiry",
      subjectType: "facility",
      subjectId: r.facility_id,
      subjectLabel: r.facility_code,
      facilityId: r.facility_id,
      partnerId: null,
      value: r.overdue_s,
      summary: `${plural(r.n, "hold")} at ${r.facility_code} past expiry and not released, the oldest by ${duration(r.overdue_s)}.`,
      detail: { holds: r.n, oldest_overdue_seconds: Math.round(r.overdue_s), facilityCode: r.facility_code },
    })),
  ];
}

async function systemSignals(tx: Tx, now: Date): Promise<Measurement[]> {
  const out: Measurement[] = [];
  // The same reading as /api/health (server/domain/ops/worker-status.ts): the newest beat.
  // No beat at all yet (a fresh install before its first worker) is not an outage.
  const [beat] = await tx.$queryRaw<{ age_s: number | null }[]>`
    SELECT extract(epoch FROM ${now}::timestamptz - max(last_beat_at))::float8 AS age_s FROM worker_heartbeats`;
  if (beat?.age_s !== null && beat?.age_s !== undefined) {
    out.push({
      rule: "no_worker_heartbeat",
      subjectType: "worker",
      subjectId: "workers",
      subjectLabel: "Workers",
      facilityId: null,
      partnerId: null,
      value: beat.age_s,
      summary: `No worker has beaten for ${duration(beat.age_s)}: jobs, deliveries and expiry are not running.`,
      detail: { newest_beat_age_seconds: Math.round(beat.age_s) },
    });
  }
  const [run] = await tx.$queryRaw<{ id: string; status: string; error: string | null }[]>`
    SELECT id, status::text AS status, error FROM reconciliation_runs
    WHERE status <> 'RUNNING' AND started_at <= ${now}::timestamptz
    ORDER BY started_at DESC LIMIT 1`;
  if (run?.status === "FAILED") {
    out.push({
      rule: "reconciliation_failed",
      subjectType: "reconciliation",
      subjectId: "reconciliation",
      subjectLabel: "Reconciliation",
      facilityId: null,
      partnerId: null,
      value: 1,
      summary: `The newest reconciliation run (${run.id}) failed${run.error ? `: ${run.error}` : "."}`,
      detail: { runId: run.id, error: run.error },
    });
  }
  const since = new Date(now.getTime() - SIGNAL_WINDOWS.paymentFailuresMs);
  const [payments] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM inbound_webhook_events
    WHERE status = 'FAILED' AND received_at >= ${since}::timestamptz AND received_at <= ${now}::timestamptz`;
  if (payments && payments.n > 0) {
    out.push({
      rule: "payment_apply_failed",
      subjectType: "payments",
      subjectId: "payments",
      subjectLabel: "Payment provider webhooks",
      facilityId: null,
      partnerId: null,
      value: payments.n,
      summary: `${plural(payments.n, "payment event")} failed to apply in the last hour.`,
      detail: { failed_last_hour: payments.n },
    });
  }
  return out;
}

/** Every measurement the rules look at, as of `now`. */
export async function readSignals(tx: Tx, now: Date): Promise<Measurement[]> {
  return [
    ...(await endpointSignals(tx, now)),
    ...(await partnerSyncSignals(tx, now)),
    ...(await apiRefusalSignals(tx, now)),
    ...(await facilitySignals(tx, now)),
    ...(await systemSignals(tx, now)),
  ];
}
