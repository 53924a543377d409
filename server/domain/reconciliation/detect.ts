import { HOLDABLE_UNIT } from "../inventory/holdable";
import type { Tx } from "@/server/domain/shared/tx";

/**
 * The checks of docs/domain.md#reconciliation-and-corrections as set-based SQL: each
 * statement compares a whole batch (or a whole table) and writes what disagrees into the
 * transaction's `reconcile_findings` table, which the run then merges into `discrepancies`.
 * Nothing here changes inventory.
 *
 * A finding names what it is about (fingerprint: kind + ids), `expected` (what the facts
 * say) and `actual` (what the checked record says). `actual` identifies the state found:
 * a discrepancy acknowledged, ignored or corrected at that state is not reported again
 * until the state changes (see VOLATILE_KEYS for values that change without the state).
 */

/** Keys of `actual` that grow by themselves (lag) and so do not make a new state. */
export const VOLATILE_KEYS = ["lag_seconds", "lag_versions", "missed_versions", "pending_versions"] as const;

export async function createFindingsTable(tx: Tx): Promise<void> {
  await tx.$executeRawUnsafe(`
    CREATE TEMP TABLE reconcile_findings (
      kind "DiscrepancyKind" NOT NULL,
      severity "Severity" NOT NULL,
      facility_id uuid, pool_id uuid, unit_id uuid, booking_id uuid, partner_id uuid, endpoint_id text,
      fingerprint text NOT NULL,
      summary text NOT NULL,
      expected jsonb NOT NULL,
      actual jsonb NOT NULL
    ) ON COMMIT DROP`);
}

const NO_POOL = "00000000-0000-0000-0000-000000000000";

/**
 * One keyset batch of pools: those with ids in (after, last], at most `size` of them.
 * The checks filter on that range (an index range, not a list to compare each row to).
 */
export interface PoolBatch {
  after: string;
  last: string;
  pools: number;
}

export async function nextPoolBatch(tx: Tx, after: string | null, size: number): Promise<PoolBatch | null> {
  const from = after ?? NO_POOL;
  const rows = await tx.$queryRaw<{ last: string | null; pools: number }[]>`
    WITH batch AS (SELECT id FROM inventory_pools WHERE id > ${from}::uuid ORDER BY id LIMIT ${size})
    SELECT (SELECT id FROM batch ORDER BY id DESC LIMIT 1)::text AS last, (SELECT count(*) FROM batch)::int AS pools`;
  const row = rows[0];
  return row?.last ? { after: from, last: row.last, pools: row.pools } : null;
}

/**
 * Counters vs facts for a batch of pools: each pool's counters against its units'
 * statuses. Returns the units scanned.
 */
export async function checkPoolCounters(tx: Tx, batch: PoolBatch, tolerance: number): Promise<number> {
  const rows = await tx.$queryRaw<{ units: number }[]>`
    WITH counted AS (
      SELECT p.id AS pool_id, p.facility_id, f.code AS facility_code, ut.code AS unit_type_code,
             p.total, p.available, p.held, p.booked, p.occupied, p.blocked, p.inventory_version,
             c.total AS u_total, c.available AS u_available, c.held AS u_held, c.booked AS u_booked,
             c.occupied AS u_occupied, c.blocked AS u_blocked
      FROM inventory_pools p
      JOIN facilities f ON f.id = p.facility_id
      JOIN unit_types ut ON ut.id = p.unit_type_id
      CROSS JOIN LATERAL (
        SELECT count(*)::int AS total,
               count(*) FILTER (WHERE u.status = 'AVAILABLE')::int AS available,
               count(*) FILTER (WHERE u.status = 'HELD')::int AS held,
               count(*) FILTER (WHERE u.status = 'BOOKED')::int AS booked,
               count(*) FILTER (WHERE u.status = 'OCCUPIED')::int AS occupied,
               count(*) FILTER (WHERE u.status = 'BLOCKED')::int AS blocked
        -- a RETIRED unit is counted in no pool (docs/domain.md#catalogue)
        FROM units u WHERE u.pool_id = p.id AND u.status <> 'RETIRED'
      ) c
      WHERE p.id > ${batch.after}::uuid AND p.id <= ${batch.last}::uuid
    ), inserted AS (
      INSERT INTO reconcile_findings (kind, severity, facility_id, pool_id, fingerprint, summary, expected, actual)
      SELECT 'POOL_COUNTER'::"DiscrepancyKind",
             (CASE WHEN available <> u_available OR greatest(abs(total - u_total), abs(held - u_held), abs(booked - u_booked),
                        abs(occupied - u_occupied), abs(blocked - u_blocked)) > ${tolerance}
                   THEN 'HIGH' ELSE 'MEDIUM' END)::"Severity",
             facility_id, pool_id, 'POOL_COUNTER:' || pool_id,
             format('%s %s: the pool''s counters disagree with its %s units', facility_code, unit_type_code, u_total),
             jsonb_build_object('total', u_total, 'available', u_available, 'held', u_held, 'booked', u_booked,
                                'occupied', u_occupied, 'blocked', u_blocked),
             jsonb_build_object('total', total, 'available', available, 'held', held, 'booked', booked,
                                'occupied', occupied, 'blocked', blocked, 'inventory_version', inventory_version)
      FROM counted
      WHERE (total, available, held, booked, occupied, blocked)
            IS DISTINCT FROM (u_total, u_available, u_held, u_booked, u_occupied, u_blocked)
    )
    SELECT coalesce(sum(u_total), 0)::int AS units FROM counted`;
  return rows[0]?.units ?? 0;
}

/**
 * What a pool calls available vs what a hold can take, for a batch of pools: each pool's
 * `available` counter against the number of its units the picker would hand out
 * (HOLDABLE_UNIT, the rule the picker uses itself: docs/availability.md). A unit that is
 * AVAILABLE while a live booking or an active block stands on it is named in `actual`.
 * Drift in `available` is also POOL_COUNTER drift when the unit statuses are right; this
 * kind is about the promise partners see: `/availability` equals what a hold can take.
 */
export async function checkHoldableUnits(tx: Tx, batch: PoolBatch): Promise<void> {
  await tx.$executeRaw`
    WITH counted AS (
      SELECT p.id AS pool_id, p.facility_id, f.code AS facility_code, ut.code AS unit_type_code, p.available, p.inventory_version,
             h.holdable, h.unholdable_units
      FROM inventory_pools p
      JOIN facilities f ON f.id = p.facility_id
      JOIN unit_types ut ON ut.id = p.unit_type_id
      CROSS JOIN LATERAL (
        SELECT count(*) FILTER (WHERE ${HOLDABLE_UNIT})::int AS holdable,
               coalesce(array_agg(u.code ORDER BY u.code) FILTER (WHERE u.status = 'AVAILABLE' AND NOT ${HOLDABLE_UNIT}), '{}') AS unholdable_units
        FROM units u WHERE u.pool_id = p.id
      ) h
      WHERE p.id > ${batch.after}::uuid AND p.id <= ${batch.last}::uuid
    )
    INSERT INTO reconcile_findings (kind, severity, facility_id, pool_id, fingerprint, summary, expected, actual)
    SELECT 'HOLDABLE'::"DiscrepancyKind",
           -- more advertised than a hold can take: partners are refused what they were shown
           (CASE WHEN available > holdable THEN 'HIGH' ELSE 'MEDIUM' END)::"Severity",
           facility_id, pool_id, 'HOLDABLE:' || pool_id,
           format('%s %s: %s available advertised, %s a hold can take', facility_code, unit_type_code, available, holdable),
           jsonb_build_object('available', holdable),
           jsonb_build_object('available', available, 'inventory_version', inventory_version, 'unholdable_units', to_jsonb(unholdable_units))
    FROM counted
    WHERE available <> holdable`;
}

/**
 * Unit statuses vs facts for a batch of pools: the status each unit should have from its
 * live booking (TENTATIVE → HELD, CONFIRMED → BOOKED, FULFILLED → OCCUPIED) or else an
 * active block (BLOCKED) or nothing (AVAILABLE); and holds expired longer than the grace
 * ago that still hold their unit (reported as the hold, not also as the unit). One
 * INSERT … SELECT over a subquery the planner inlines: only disagreeing units are kept.
 */
export async function checkUnitStatuses(tx: Tx, batch: PoolBatch, now: Date, holdGraceSeconds: number): Promise<void> {
  const expiredBefore = new Date(now.getTime() - holdGraceSeconds * 1000);
  await tx.$executeRaw`
    INSERT INTO reconcile_findings (kind, severity, facility_id, pool_id, unit_id, booking_id, partner_id, fingerprint, summary, expected, actual)
    SELECT (CASE WHEN j.expired_hold THEN 'EXPIRED_HOLD' ELSE 'UNIT_STATUS' END)::"DiscrepancyKind",
           (CASE WHEN j.expired_hold THEN 'MEDIUM'
                 WHEN j.status = 'AVAILABLE' AND j.booking_id IS NOT NULL THEN 'CRITICAL'
                 WHEN j.status = 'AVAILABLE' OR j.expected_status = 'AVAILABLE' THEN 'HIGH' ELSE 'MEDIUM' END)::"Severity",
           j.facility_id, j.pool_id, j.unit_id, j.booking_id, j.partner_id,
           CASE WHEN j.expired_hold THEN 'EXPIRED_HOLD:' || j.booking_id ELSE 'UNIT_STATUS:' || j.unit_id END,
           CASE WHEN j.expired_hold
                THEN format('%s %s: hold %s expired at %s but still holds the unit', f.code, j.unit_code, j.reference,
                            to_char(j.hold_expires_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"'))
                ELSE format('%s %s is %s; its %s say %s', f.code, j.unit_code, j.status,
                            CASE WHEN j.booking_id IS NOT NULL THEN 'booking ' || j.reference ELSE 'bookings and blocks' END, j.expected_status)
           END,
           CASE WHEN j.expired_hold
                THEN jsonb_build_object('booking_status', 'EXPIRED', 'unit_status', CASE WHEN j.blocked THEN 'BLOCKED' ELSE 'AVAILABLE' END)
                ELSE jsonb_build_object('status', j.expected_status, 'booking_reference', j.reference, 'booking_status', j.booking_status,
                                        'active_block', j.blocked)
           END,
           CASE WHEN j.expired_hold
                THEN jsonb_build_object('booking_status', j.booking_status, 'unit_status', j.status, 'reference', j.reference,
                                        'hold_expires_at', j.hold_expires_at)
                ELSE jsonb_build_object('status', j.status, 'status_changed_at', j.status_changed_at)
           END
    FROM (
      SELECT u.id AS unit_id, u.facility_id, u.pool_id, u.code AS unit_code, u.status::text AS status, u.status_changed_at,
             b.id AS booking_id, b.reference, b.partner_id, b.status::text AS booking_status, b.hold_expires_at,
             EXISTS (SELECT 1 FROM maintenance_blocks m WHERE m.unit_id = u.id AND m.status = 'ACTIVE') AS blocked,
             coalesce(b.status = 'TENTATIVE' AND b.hold_expires_at <= ${expiredBefore}::timestamptz, false) AS expired_hold,
             CASE b.status WHEN 'TENTATIVE' THEN 'HELD' WHEN 'CONFIRMED' THEN 'BOOKED' WHEN 'FULFILLED' THEN 'OCCUPIED'
                  ELSE CASE WHEN u.status = 'RETIRED' THEN 'RETIRED'
                            WHEN EXISTS (SELECT 1 FROM maintenance_blocks m WHERE m.unit_id = u.id AND m.status = 'ACTIVE')
                            THEN 'BLOCKED' ELSE 'AVAILABLE' END END AS expected_status
      FROM units u
      LEFT JOIN bookings b ON b.unit_id = u.id AND b.status IN ('TENTATIVE', 'CONFIRMED', 'FULFILLED')
        AND b.pool_id > ${batch.after}::uuid AND b.pool_id <= ${batch.last}::uuid
      WHERE u.pool_id > ${batch.after}::uuid AND u.pool_id <= ${batch.last}::uuid
    ) j
    JOIN facilities f ON f.id = j.facility_id
    WHERE j.expired_hold OR j.status <> j.expected_status`;
}

/** How many live bookings (the unit check's facts) there are: for what a run scanned. */
export async function countLiveBookings(tx: Tx): Promise<number> {
  const rows = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM bookings WHERE status IN ('TENTATIVE', 'CONFIRMED', 'FULFILLED')`;
  return rows[0]?.n ?? 0;
}

/**
 * Partners: each active partner's latest availability snapshot per pool against the pool
 * now. Returns the snapshots compared.
 */
export async function checkPartnerSnapshots(tx: Tx): Promise<number> {
  const rows = await tx.$queryRaw<{ snapshots: number }[]>`
    WITH latest AS (
      SELECT DISTINCT ON (s.partner_id, s.pool_id) s.id, s.partner_id, s.pool_id, s.available, s.inventory_version, s.reported_at
      FROM availability_snapshots s JOIN partners pa ON pa.id = s.partner_id AND pa.active
      ORDER BY s.partner_id, s.pool_id, s.reported_at DESC, s.id DESC
    ), inserted AS (
      INSERT INTO reconcile_findings (kind, severity, facility_id, pool_id, partner_id, fingerprint, summary, expected, actual)
      SELECT 'PARTNER_SNAPSHOT'::"DiscrepancyKind",
             (CASE WHEN l.inventory_version > p.inventory_version THEN 'CRITICAL'
                   WHEN l.inventory_version = p.inventory_version THEN 'HIGH' ELSE 'MEDIUM' END)::"Severity",
             p.facility_id, p.id, l.partner_id, 'PARTNER_SNAPSHOT:' || l.partner_id || ':' || p.id,
             format('%s reports %s available in %s %s at v%s; the pool has %s at v%s', pa.code, l.available, f.code, ut.code,
                    l.inventory_version, p.available, p.inventory_version),
             jsonb_build_object('available', p.available),
             jsonb_build_object('available', l.available, 'inventory_version', l.inventory_version, 'snapshot_id', l.id,
                                'reported_at', l.reported_at)
      FROM latest l
      JOIN inventory_pools p ON p.id = l.pool_id
      JOIN partners pa ON pa.id = l.partner_id
      JOIN facilities f ON f.id = p.facility_id
      JOIN unit_types ut ON ut.id = p.unit_type_id
      WHERE l.available <> p.available
    )
    SELECT count(*)::int AS snapshots FROM latest`;
  return rows[0]?.snapshots ?? 0;
}

/**
 * Partners: each active endpoint subscribed to inventory changes, per pool it has
 * acknowledged, against the pool's inventory_version — behind for longer than the grace
 * is drift. What the endpoint answered 2xx to counts: inventory.updated (recorded in
 * endpoint_pool_acks) and inventory.corrected re-announcements. Missed versions are those
 * after the acknowledged one whose delivery to the endpoint is dead or was never made. A
 * pool the endpoint was sent versions of but never acknowledged at all (every delivery
 * dead or still retrying) is behind from the first version it was sent.
 * Returns the (endpoint, pool) pairs compared.
 */
export async function checkEndpointVersions(tx: Tx, now: Date, ackGraceSeconds: number): Promise<number> {
  const rows = await tx.$queryRaw<{ acks: number }[]>`
    WITH endpoints AS (
      -- acks_missing: the endpoint lacks an acknowledgement for some pool. Only such an
      -- endpoint can have a pool it never acknowledged, so only its undelivered
      -- deliveries are read below (docs/performance.md#reconciliation).
      SELECT e.id, e.partner_id, e.url,
             (SELECT count(*) FROM endpoint_pool_acks a WHERE a.endpoint_id = e.id) < (SELECT count(*) FROM inventory_pools) AS acks_missing
      FROM webhook_endpoints e
      WHERE e.deleted_at IS NULL AND e.status = 'ACTIVE'
        AND (cardinality(e.event_types) = 0 OR 'inventory.updated' = ANY(e.event_types))
    ), acks AS (
      SELECT a.endpoint_id, a.pool_id, e.partner_id, e.url, a.acked_at, a.acked_version AS baseline_version,
             greatest(a.acked_version, coalesce((
               SELECT max(ev.aggregate_version) FROM events ev
               JOIN webhook_deliveries d ON d.event_id = ev.id AND d.endpoint_id = a.endpoint_id AND d.status = 'SUCCEEDED'
               WHERE ev.aggregate_type = 'pool' AND ev.aggregate_id = a.pool_id::text AND ev.type = 'inventory.corrected'
                 AND ev.aggregate_version > a.acked_version), 0)) AS acked_version
      FROM endpoint_pool_acks a
      JOIN endpoints e ON e.id = a.endpoint_id
      UNION ALL
      -- Pools an endpoint was sent versions of but never acknowledged at all (every
      -- delivery dead or still retrying): behind from the first version it was sent.
      SELECT d.endpoint_id, ev.aggregate_id::uuid, e.partner_id, e.url, NULL::timestamptz,
             min(ev.aggregate_version) - 1, NULL::int
      FROM webhook_deliveries d
      JOIN endpoints e ON e.id = d.endpoint_id AND e.acks_missing
      JOIN events ev ON ev.id = d.event_id AND ev.aggregate_type = 'pool' AND ev.type IN ('inventory.updated', 'inventory.corrected')
      WHERE d.status IN ('PENDING', 'RETRYING', 'DEAD')
        AND NOT EXISTS (SELECT 1 FROM endpoint_pool_acks a WHERE a.endpoint_id = d.endpoint_id AND a.pool_id::text = ev.aggregate_id)
      GROUP BY d.endpoint_id, ev.aggregate_id, e.partner_id, e.url
    ), behind AS (
      SELECT acks.*, p.facility_id, p.inventory_version, f.code AS facility_code, ut.code AS unit_type_code, pa.code AS partner_code,
             coalesce((SELECT min(ev.created_at) FROM events ev
                       WHERE ev.aggregate_type = 'pool' AND ev.aggregate_id = acks.pool_id::text
                         AND ev.aggregate_version = coalesce(acks.acked_version, acks.baseline_version) + 1), p.updated_at) AS first_unacked_at
      FROM acks
      JOIN inventory_pools p ON p.id = acks.pool_id AND p.inventory_version > coalesce(acks.acked_version, acks.baseline_version)
      JOIN facilities f ON f.id = p.facility_id
      JOIN unit_types ut ON ut.id = p.unit_type_id
      JOIN partners pa ON pa.id = acks.partner_id
    ), inserted AS (
      INSERT INTO reconcile_findings (kind, severity, facility_id, pool_id, partner_id, endpoint_id, fingerprint, summary, expected, actual)
      SELECT 'PARTNER_VERSION'::"DiscrepancyKind",
             (CASE WHEN cardinality(gaps.missed) > 0 THEN 'HIGH' ELSE 'MEDIUM' END)::"Severity",
             b.facility_id, b.pool_id, b.partner_id, b.endpoint_id, 'PARTNER_VERSION:' || b.endpoint_id || ':' || b.pool_id,
             CASE WHEN b.acked_version IS NULL
               THEN format('%s endpoint %s never acknowledged %s %s (sent from v%s); the pool is at v%s', b.partner_code, b.endpoint_id,
                           b.facility_code, b.unit_type_code, b.baseline_version + 1, b.inventory_version)
               ELSE format('%s endpoint %s acknowledged %s %s up to v%s; the pool is at v%s', b.partner_code, b.endpoint_id,
                           b.facility_code, b.unit_type_code, b.acked_version, b.inventory_version) END,
             jsonb_build_object('inventory_version', b.inventory_version),
             jsonb_build_object('acked_version', b.acked_version, 'acked_at', b.acked_at,
                                'lag_versions', b.inventory_version - coalesce(b.acked_version, b.baseline_version),
                                'lag_seconds', greatest(0, floor(extract(epoch FROM ${now}::timestamptz - b.first_unacked_at)))::int,
                                'missed_versions', to_jsonb(gaps.missed), 'pending_versions', gaps.pending)
      FROM behind b
      CROSS JOIN LATERAL (
        SELECT coalesce((array_agg(v.aggregate_version ORDER BY v.aggregate_version)
                          FILTER (WHERE v.status IS NULL OR v.status = 'DEAD'))[1:50], '{}') AS missed,
               count(*) FILTER (WHERE v.status IN ('PENDING', 'RETRYING'))::int AS pending
        FROM (
          SELECT ev.aggregate_version, d.status::text AS status
          FROM events ev
          LEFT JOIN webhook_deliveries d ON d.event_id = ev.id AND d.endpoint_id = b.endpoint_id
          WHERE ev.aggregate_type = 'pool' AND ev.aggregate_id = b.pool_id::text AND ev.aggregate_version > coalesce(b.acked_version, b.baseline_version)
            AND ev.type IN ('inventory.updated', 'inventory.corrected')
        ) v
      ) gaps
      WHERE b.first_unacked_at <= ${now}::timestamptz - make_interval(secs => ${ackGraceSeconds})
    )
    SELECT count(*)::int AS acks FROM acks`;
  return rows[0]?.acks ?? 0;
}

/**
 * Access: every active grant against its booking (only a FULFILLED booking's unit may be
 * opened), and every FULFILLED booking against its grants (it needs one for its unit).
 * Returns the active grants and fulfilled bookings compared.
 */
export async function checkAccessGrants(tx: Tx): Promise<{ grants: number; fulfilled: number }> {
  await tx.$executeRaw`
    INSERT INTO reconcile_findings (kind, severity, facility_id, pool_id, unit_id, booking_id, partner_id, fingerprint, summary, expected, actual)
    SELECT 'ACCESS_GRANT'::"DiscrepancyKind", 'CRITICAL'::"Severity", b.facility_id, b.pool_id, g.unit_id, b.id, b.partner_id, 'ACCESS_GRANT:grant:' || g.id,
           format('%s %s: an active access code for booking %s, which is %s%s', f.code, gu.code, b.reference, b.status,
                  CASE WHEN g.unit_id <> b.unit_id THEN ' on unit ' || bu.code ELSE '' END),
           jsonb_build_object('grant_status', 'REVOKED', 'booking_status', b.status, 'unit_code', bu.code),
           jsonb_build_object('grant_id', g.id, 'grant_status', g.status, 'issued_at', g.issued_at, 'unit_code', gu.code)
    FROM access_grants g
    JOIN bookings b ON b.id = g.booking_id
    JOIN units gu ON gu.id = g.unit_id
    JOIN units bu ON bu.id = b.unit_id
    JOIN facilities f ON f.id = b.facility_id
    WHERE g.status = 'ACTIVE' AND (b.status <> 'FULFILLED' OR g.unit_id <> b.unit_id)`;
  await tx.$executeRaw`
    INSERT INTO reconcile_findings (kind, severity, facility_id, pool_id, unit_id, booking_id, partner_id, fingerprint, summary, expected, actual)
    SELECT 'ACCESS_GRANT'::"DiscrepancyKind", 'HIGH'::"Severity", b.facility_id, b.pool_id, b.unit_id, b.id, b.partner_id, 'ACCESS_GRANT:booking:' || b.id,
           format('%s %s: booking %s has moved in but holds no active access code for its unit', f.code, u.code, b.reference),
           jsonb_build_object('grant_status', 'ACTIVE', 'booking_status', b.status, 'unit_code', u.code),
           jsonb_build_object('grant_status', coalesce(last.status::text, 'NONE'), 'last_grant_id', last.id,
                              'revoked_at', last.revoked_at)
    FROM bookings b
    JOIN units u ON u.id = b.unit_id
    JOIN facilities f ON f.id = b.facility_id
    LEFT JOIN LATERAL (SELECT g.id, g.status, g.revoked_at FROM access_grants g WHERE g.booking_id = b.id
                       ORDER BY g.issued_at DESC LIMIT 1) last ON true
    WHERE b.status = 'FULFILLED'
      AND NOT EXISTS (SELECT 1 FROM access_grants g WHERE g.booking_id = b.id AND g.status = 'ACTIVE' AND g.unit_id = b.unit_id)`;
  const rows = await tx.$queryRaw<{ grants: number; fulfilled: number }[]>`
    SELECT (SELECT count(*) FROM access_grants WHERE status = 'ACTIVE')::int AS grants,
           (SELECT count(*) FROM bookings WHERE status = 'FULFILLED')::int AS fulfilled`;
  return rows[0] ?? { grants: 0, fulfilled: 0 };
}
