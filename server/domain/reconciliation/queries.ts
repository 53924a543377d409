import { z } from "zod";
import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { inScope, scopeSql } from "@/server/domain/shared/facility-scope";
import { DomainError } from "@/server/domain/shared/errors";
import { reconcileConfig } from "../../config";
import { CHECKS, CORRECTION_TEXT, DISCREPANCY_KINDS, KINDS_OF_CHECK, DISCREPANCY_STATUSES, needsApproval, SEVERITIES, type DiscrepancyKind } from "@/shared/discrepancy-kinds";
import type { RunSummary } from "./run-reconciliation";
import { ID_PATTERN, NOT_AN_ID } from "@/shared/ids";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * The drift screens' reads (docs/domain.md#reconciliation-and-corrections; /drift and
 * /drift/{run id} in docs/architecture.md#console-screens).
 */

const RUN_LIST_LIMIT = 60;
const RUN_DISCREPANCY_CAP = 5000;

export interface RunView {
  id: string;
  trigger: "SCHEDULED" | "MANUAL";
  status: "RUNNING" | "SUCCEEDED" | "FAILED";
  checks: string[];
  requestedBy: string | null;
  startedAt: Date;
  finishedAt: Date | null;
  discrepancyCount: number;
  error: string | null;
  summary: RunSummary;
}

function runView(run: {
  id: string;
  trigger: "SCHEDULED" | "MANUAL";
  status: "RUNNING" | "SUCCEEDED" | "FAILED";
  kinds: string[];
  requestedBy: { email: string } | null;
  startedAt: Date;
  finishedAt: Date | null;
  discrepancyCount: number;
  error: string | null;
  scanned: unknown;
}): RunView {
  const summary = (run.scanned && typeof run.scanned === "object" ? run.scanned : {}) as RunSummary;
  return {
    id: run.id,
    trigger: run.trigger,
    status: run.status,
    checks: run.kinds,
    requestedBy: run.requestedBy?.email ?? null,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    discrepancyCount: run.discrepancyCount,
    error: run.error,
    summary: { ...summary, scanned: summary.scanned ?? {}, phase: summary.phase ?? (run.status === "RUNNING" ? "queued" : "done") },
  };
}

const RUN_SELECT = {
  id: true,
  trigger: true,
  status: true,
  kinds: true,
  requestedBy: { select: { email: true } },
  startedAt: true,
  finishedAt: true,
  discrepancyCount: true,
  error: true,
  scanned: true,
} as const;

/** Recent runs (newest first), the run in progress, and what is open now. */
export async function listRuns(actor: Actor) {
  const db = getDb();
  const [runs, open, active] = await Promise.all([
    db.reconciliationRun.findMany({ select: RUN_SELECT, orderBy: { startedAt: "desc" }, take: RUN_LIST_LIMIT }),
    db.discrepancy.groupBy({ by: ["kind", "severity"], where: { status: "OPEN", ...inScope(actor) }, _count: { _all: true } }),
    db.reconciliationRun.findFirst({ select: RUN_SELECT, where: { status: "RUNNING" }, orderBy: { startedAt: "desc" } }),
  ]);
  const byKind = Object.fromEntries(DISCREPANCY_KINDS.map((k) => [k, 0])) as Record<DiscrepancyKind, number>;
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<(typeof SEVERITIES)[number], number>;
  for (const row of open) {
    byKind[row.kind] += row._count._all;
    bySeverity[row.severity] += row._count._all;
  }
  return {
    runs: runs.map(runView),
    active: active ? runView(active) : null,
    open: { total: open.reduce((sum, r) => sum + r._count._all, 0), byKind, bySeverity },
    schedule: reconcileConfig().cron,
    tolerance: reconcileConfig().counterTolerance,
  };
}

export const RunDetailInput = z
  .object({
    runId: z.string().regex(ID_PATTERN.rec, `${NOT_AN_ID.rec}.`),
    facility: z.string().max(32).optional(),
    kind: z.enum(DISCREPANCY_KINDS).optional(),
    status: z.enum(DISCREPANCY_STATUSES).optional(),
    severity: z.enum(SEVERITIES).optional(),
  })
  .strict();
export type RunDetailInput = z.input<typeof RunDetailInput>;

interface DiscrepancyRow {
  id: string;
  run_id: string;
  kind: DiscrepancyKind;
  severity: (typeof SEVERITIES)[number];
  status: (typeof DISCREPANCY_STATUSES)[number];
  summary: string;
  expected: Record<string, unknown>;
  actual: Record<string, unknown>;
  created_at: Date;
  last_seen_at: Date;
  resolved_at: Date | null;
  resolution: string | null;
  resolved_by: string | null;
  facility_code: string | null;
  facility_name: string | null;
  timezone: string | null;
  unit_type_code: string | null;
  unit_code: string | null;
  booking_reference: string | null;
  partner_code: string | null;
  partner_name: string | null;
  endpoint_id: string | null;
  endpoint_url: string | null;
}

/** One run: what it scanned and every discrepancy it saw, with the records they concern. */
export async function getRunDetail(actor: Actor, raw: RunDetailInput) {
  const input = parseOrRefuse(RunDetailInput, raw);
  const db = getDb();
  const run = await db.reconciliationRun.findUnique({ where: { id: input.runId }, select: RUN_SELECT });
  if (!run) throw new DomainError("NOT_FOUND", `Reconciliation run ${input.runId} was not found.`);
  // What the run saw (docs/domain.md#reconciliation-and-corrections): the discrepancies of the
  // kinds its checks cover, opened by it or a run merged before it, not closed before it.
  const [merge] = await db.$queryRaw<{ seq: bigint | null }[]>`SELECT merged_seq AS seq FROM reconciliation_runs WHERE id = ${input.runId}`;
  const seq = merge?.seq ?? null;
  const checks = CHECKS.filter((c) => run.kinds.length === 0 || run.kinds.includes(c));
  const kinds = checks.flatMap((c) => KINDS_OF_CHECK[c]);
  const checkOfKind = Prisma.sql`(CASE d.kind::text ${Prisma.join(
    CHECKS.flatMap((c) => KINDS_OF_CHECK[c].map((k) => Prisma.sql`WHEN ${k} THEN ${c}`)),
    " ",
  )} END)`;
  const rows =
    seq === null
      ? []
      : await db.$queryRaw<DiscrepancyRow[]>`
    SELECT d.id, d.run_id, d.kind::text AS kind, d.severity::text AS severity, d.status::text AS status, d.summary, d.expected, d.actual,
           d.created_at, d.resolved_at, d.resolution, ru.email AS resolved_by,
           -- the last run that saw it: the newest merged run covering its kind before it was closed
           (SELECT r.merged_at FROM reconciliation_runs r
            WHERE r.merged_seq >= o.merged_seq AND r.merged_seq < coalesce(d.closed_seq, 9223372036854775807)
              AND (cardinality(r.kinds) = 0 OR ${checkOfKind} = ANY(r.kinds))
            ORDER BY r.merged_seq DESC LIMIT 1) AS last_seen_at,
           f.code AS facility_code, f.name AS facility_name, f.timezone, ut.code AS unit_type_code, u.code AS unit_code,
           b.reference AS booking_reference, pa.code AS partner_code, pa.name AS partner_name, d.endpoint_id, e.url AS endpoint_url
    FROM discrepancies d
    JOIN reconciliation_runs o ON o.id = d.run_id
    LEFT JOIN facilities f ON f.id = d.facility_id
    LEFT JOIN inventory_pools p ON p.id = d.pool_id
    LEFT JOIN unit_types ut ON ut.id = p.unit_type_id
    LEFT JOIN units u ON u.id = d.unit_id
    LEFT JOIN bookings b ON b.id = d.booking_id
    LEFT JOIN partners pa ON pa.id = d.partner_id
    LEFT JOIN webhook_endpoints e ON e.id = d.endpoint_id
    LEFT JOIN users ru ON ru.id = d.resolved_by_id
    WHERE d.kind::text = ANY(${kinds}::text[]) AND o.merged_seq <= ${seq} AND (d.closed_seq IS NULL OR ${seq} < d.closed_seq)
      ${scopeSql(actor, Prisma.sql`d.facility_id`)}
    ORDER BY f.code NULLS LAST, d.kind, CASE d.severity WHEN 'CRITICAL' THEN 0 WHEN 'HIGH' THEN 1 WHEN 'MEDIUM' THEN 2 ELSE 3 END, d.created_at
    LIMIT ${RUN_DISCREPANCY_CAP + 1}`;
  const tolerance = reconcileConfig().counterTolerance;
  const all = rows.slice(0, RUN_DISCREPANCY_CAP).map((r) => ({
    id: r.id,
    openedByRun: r.run_id,
    kind: r.kind,
    severity: r.severity,
    status: r.status,
    summary: r.summary,
    expected: r.expected,
    actual: r.actual,
    createdAt: r.created_at,
    lastSeenAt: r.last_seen_at,
    resolvedAt: r.resolved_at,
    resolution: r.resolution,
    resolvedBy: r.resolved_by,
    facility: r.facility_code ? { code: r.facility_code, name: r.facility_name!, timezone: r.timezone! } : null,
    unitTypeCode: r.unit_type_code,
    unitCode: r.unit_code,
    bookingReference: r.booking_reference,
    partner: r.partner_code ? { code: r.partner_code, name: r.partner_name! } : null,
    endpoint: r.endpoint_id ? { id: r.endpoint_id, url: r.endpoint_url } : null,
    needsApproval: needsApproval(r, tolerance),
    correction: CORRECTION_TEXT[r.kind],
  }));
  // Facets over the whole run; the list is filtered.
  const facets = {
    facilities: [...new Set(all.map((d) => d.facility?.code).filter((c): c is string => Boolean(c)))].sort(),
    kinds: DISCREPANCY_KINDS.map((k) => ({ kind: k, count: all.filter((d) => d.kind === k).length })),
    statuses: DISCREPANCY_STATUSES.map((s) => ({ status: s, count: all.filter((d) => d.status === s).length })),
  };
  const discrepancies = all.filter(
    (d) =>
      (!input.facility || d.facility?.code === input.facility) &&
      (!input.kind || d.kind === input.kind) &&
      (!input.status || d.status === input.status) &&
      (!input.severity || d.severity === input.severity),
  );
  return { run: runView(run), discrepancies, facets, total: all.length, truncated: rows.length > RUN_DISCREPANCY_CAP, tolerance };
}

interface SyncRow {
  partner_code: string;
  partner_name: string;
  endpoint_id: string | null;
  endpoint_url: string | null;
  endpoint_status: string | null;
  facility_code: string;
  timezone: string;
  unit_type_code: string;
  current_version: number;
  available: number;
  acked_version: number | null;
  acked_at: Date | null;
  missed_versions: number[] | null;
  pending_versions: number | null;
  snapshot_available: number | null;
  snapshot_version: number | null;
  snapshot_at: Date | null;
}

/**
 * Per partner, per pool: the version each of its endpoints acknowledged against the
 * pool's current one (lag, missed versions) and the partner's latest snapshot. The same
 * rules as the drift check (detect.ts), without its grace: this is the live picture.
 */
export async function getPartnerSync(actor: Actor) {
  const rows = await getDb().$queryRaw<SyncRow[]>`
    WITH acks AS (
      SELECT a.endpoint_id, a.pool_id, e.partner_id, e.url, e.status::text AS endpoint_status, a.acked_at,
             greatest(a.acked_version, coalesce((
               SELECT max(ev.aggregate_version) FROM events ev
               JOIN webhook_deliveries d ON d.event_id = ev.id AND d.endpoint_id = a.endpoint_id AND d.status = 'SUCCEEDED'
               WHERE ev.aggregate_type = 'pool' AND ev.aggregate_id = a.pool_id::text AND ev.type = 'inventory.corrected'
                 AND ev.aggregate_version > a.acked_version), 0)) AS acked_version
      FROM endpoint_pool_acks a
      JOIN webhook_endpoints e ON e.id = a.endpoint_id AND e.deleted_at IS NULL
    ), snaps AS (
      SELECT DISTINCT ON (s.partner_id, s.pool_id) s.partner_id, s.pool_id, s.available, s.inventory_version, s.reported_at
      FROM availability_snapshots s
      ORDER BY s.partner_id, s.pool_id, s.reported_at DESC, s.id DESC
    ), pairs AS (
      SELECT partner_id, pool_id FROM acks UNION SELECT partner_id, pool_id FROM snaps
    )
    SELECT pa.code AS partner_code, pa.name AS partner_name, a.endpoint_id, a.url AS endpoint_url, a.endpoint_status,
           f.code AS facility_code, f.timezone, ut.code AS unit_type_code, p.inventory_version AS current_version, p.available,
           a.acked_version, a.acked_at,
           CASE WHEN a.endpoint_id IS NOT NULL AND a.acked_version < p.inventory_version THEN (
             SELECT coalesce((array_agg(ev.aggregate_version ORDER BY ev.aggregate_version)
                              FILTER (WHERE d.id IS NULL OR d.status = 'DEAD'))[1:20], '{}')
             FROM events ev LEFT JOIN webhook_deliveries d ON d.event_id = ev.id AND d.endpoint_id = a.endpoint_id
             WHERE ev.aggregate_type = 'pool' AND ev.aggregate_id = p.id::text AND ev.aggregate_version > a.acked_version
               AND ev.type IN ('inventory.updated', 'inventory.corrected')) END AS missed_versions,
           CASE WHEN a.endpoint_id IS NOT NULL AND a.acked_version < p.inventory_version THEN (
             SELECT count(*)::int FROM events ev JOIN webhook_deliveries d ON d.event_id = ev.id AND d.endpoint_id = a.endpoint_id
             WHERE ev.aggregate_type = 'pool' AND ev.aggregate_id = p.id::text AND ev.aggregate_version > a.acked_version
               AND d.status IN ('PENDING', 'RETRYING')) END AS pending_versions,
           s.available AS snapshot_available, s.inventory_version AS snapshot_version, s.reported_at AS snapshot_at
    FROM pairs
    JOIN partners pa ON pa.id = pairs.partner_id
    JOIN inventory_pools p ON p.id = pairs.pool_id
    JOIN facilities f ON f.id = p.facility_id
    JOIN unit_types ut ON ut.id = p.unit_type_id
    LEFT JOIN acks a ON a.partner_id = pairs.partner_id AND a.pool_id = pairs.pool_id
    LEFT JOIN snaps s ON s.partner_id = pairs.partner_id AND s.pool_id = pairs.pool_id
    WHERE TRUE ${scopeSql(actor, Prisma.sql`p.facility_id`)}
    ORDER BY pa.code, a.endpoint_id NULLS LAST, (p.inventory_version - coalesce(a.acked_version, p.inventory_version)) DESC, f.code, ut.code
    LIMIT 5000`;
  return {
    rows: rows.map((r) => ({
      partnerCode: r.partner_code,
      partnerName: r.partner_name,
      endpointId: r.endpoint_id,
      endpointUrl: r.endpoint_url,
      endpointStatus: r.endpoint_status,
      facilityCode: r.facility_code,
      timezone: r.timezone,
      unitTypeCode: r.unit_type_code,
      currentVersion: r.current_version,
      available: r.available,
      ackedVersion: r.acked_version,
      ackedAt: r.acked_at,
      lagVersions: r.acked_version === null ? null : Math.max(0, r.current_version - r.acked_version),
      missedVersions: r.missed_versions ?? [],
      pendingVersions: r.pending_versions ?? 0,
      snapshot:
        r.snapshot_version === null
          ? null
          : { available: r.snapshot_available!, inventoryVersion: r.snapshot_version, reportedAt: r.snapshot_at! },
    })),
  };
}
