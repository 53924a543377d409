import { Prisma } from "../../generated/prisma/client";
import { systemActor } from "@/server/domain/shared/actor";
import { writeAuditBatch } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { insertEventFrom, type EventType } from "@/server/domain/shared/events";
import { newId } from "@/server/domain/shared/ids";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";

/** holds per batch by default: one transaction, three statements (docs/domain.md#holds-and-expiry) */
export const EXPIRY_BATCH = 1000;

/** One of `of` expiry lanes: the pools whose id hashes to `index`, modulo `of`. */
export interface ExpiryLane {
  index: number;
  of: number;
}

type DueHold = { id: string; reference: string; unit_id: string; facility_id: string; partner_id: string; hold_expires_at: Date };

/**
 * Releases holds whose TTL has passed, in set-based batches (run by a worker job every few
 * seconds; docs/domain.md#holds-and-expiry). Per batch, in one transaction:
 *
 * 1. the due bookings are claimed with FOR UPDATE SKIP LOCKED, so two workers never fight
 *    over one and a confirm that holds a booking's lock keeps it (it is simply skipped);
 *    a confirm that comes later waits for this transaction and then finds it EXPIRED;
 * 2. one statement moves their units HELD → AVAILABLE, locks their pools in id order (so
 *    two batches cannot deadlock), moves each pool's counters and inventory_version by
 *    the number of its holds, bumps each booking (EXPIRED, its version + 1, the pool
 *    version of its own step) and inserts, for every hold, the same two events one hold
 *    at a time would write: the pool's inventory.updated with the counters as they stood
 *    after that hold's step, then booking.expired;
 * 3. one statement appends the audit entries.
 *
 * Returns how many expired; call again while it returns `limit`.
 */
export async function expireHolds(
  options: ServiceOptions & { limit?: number; correlationId?: string; lane?: ExpiryLane } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? EXPIRY_BATCH;
  const actor = systemActor("expire-holds", options.correlationId ?? `cor_expire_${now.getTime()}`);
  const lane = options.lane;
  if (lane && !(Number.isInteger(lane.of) && lane.of >= 1 && Number.isInteger(lane.index) && lane.index >= 0 && lane.index < lane.of)) {
    throw new RangeError(`expiry lane ${lane.index} of ${lane.of} does not exist`);
  }
  // a lane's pools: the pool id's hash, modulo the number of lanes (docs/domain.md#holds-and-expiry)
  const inLane =
    lane && lane.of > 1 ? Prisma.sql`AND (hashtext(pool_id::text) & 2147483647) % ${lane.of}::int = ${lane.index}::int` : Prisma.empty;
  return inTransaction(options, async (tx) => {
    const due = await tx.$queryRaw<DueHold[]>`
      SELECT id, reference, unit_id, facility_id, partner_id, hold_expires_at FROM bookings
      WHERE status = 'TENTATIVE' AND hold_expires_at <= ${now} ${inLane}
      ORDER BY hold_expires_at, id
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    if (!due.length) return 0;

    const eventTime = options.now?.getTime();
    const cause: EventType = "booking.expired";
    // Step n of a pool with k holds in this batch sees the pool as one-at-a-time expiry
    // left it after n holds: version v₀ + n, available a₀ + n, held h₀ − n.
    const released = await tx.$queryRaw<{ booking_id: string }[]>`
      WITH due AS (
        SELECT * FROM unnest(
          ${due.map((d) => d.id)}::uuid[], ${due.map((d) => d.unit_id)}::uuid[], ${due.map((_, i) => i)}::int[],
          ${due.map((d) => d.reference)}::text[], ${due.map((d) => d.partner_id)}::uuid[], ${due.map((d) => d.facility_id)}::uuid[],
          ${due.map((d) => d.hold_expires_at.toISOString())}::text[],
          ${due.map(() => newId("evt", eventTime))}::text[], ${due.map(() => newId("evt", eventTime))}::text[]
        ) AS d(booking_id, unit_id, ord, reference, partner_id, facility_id, hold_expired_at, pool_event_id, booking_event_id)
      ), unit AS (
        UPDATE units u SET status = 'AVAILABLE', status_changed_at = ${now}
        FROM due WHERE u.id = due.unit_id AND u.status = 'HELD'
        RETURNING u.id AS unit_id, u.pool_id, u.code AS unit_code
      ), step AS (
        SELECT due.*, unit.pool_id, unit.unit_code,
               (row_number() OVER (PARTITION BY unit.pool_id ORDER BY due.ord))::int AS n
        FROM due JOIN unit USING (unit_id)
      ), locked AS MATERIALIZED (
        SELECT p.id FROM inventory_pools p WHERE p.id IN (SELECT pool_id FROM step) ORDER BY p.id FOR UPDATE
      ), pool AS (
        UPDATE inventory_pools p
        SET held = p.held - c.k, available = p.available + c.k, inventory_version = p.inventory_version + c.k, updated_at = ${now}
        FROM (SELECT pool_id, count(*)::int AS k FROM step GROUP BY pool_id) c JOIN locked ON locked.id = c.pool_id
        WHERE p.id = c.pool_id
        RETURNING p.id, p.facility_id, p.unit_type_id, p.total, p.available, p.held, p.booked, p.occupied, p.blocked,
                  p.inventory_version, c.k
      ), info AS (
        SELECT step.*, pool.facility_id AS pool_facility_id, f.code AS facility_code, ut.code AS unit_type_code,
               pool.total, pool.booked, pool.occupied, pool.blocked,
               pool.available - pool.k + step.n AS available, pool.held + pool.k - step.n AS held,
               pool.inventory_version - pool.k + step.n AS version
        FROM step JOIN pool ON pool.id = step.pool_id
        JOIN facilities f ON f.id = pool.facility_id JOIN unit_types ut ON ut.id = pool.unit_type_id
      ), booking AS (
        UPDATE bookings b
        SET status = 'EXPIRED', expired_at = ${now}, inventory_version = info.version, version = b.version + 1,
            last_event_at = ${now}, updated_at = ${now}
        FROM info WHERE b.id = info.booking_id
        RETURNING b.id, b.version
      ), event AS (
        ${insertEventFrom(
          {
            id: Prisma.sql`ev.id`,
            type: Prisma.sql`ev.type`,
            aggregateType: Prisma.sql`ev.aggregate_type`,
            aggregateId: Prisma.sql`ev.aggregate_id`,
            aggregateVersion: Prisma.sql`ev.aggregate_version`,
            facilityId: Prisma.sql`ev.facility_id`,
            partnerId: Prisma.sql`ev.partner_id`,
            bookingId: Prisma.sql`ev.booking_id`,
            correlationId: Prisma.sql`${actor.correlationId}`,
            data: Prisma.sql`ev.data`,
            createdAt: Prisma.sql`${options.now ?? null}`,
          },
          Prisma.sql`(
            SELECT info.ord, 0 AS step, info.pool_event_id AS id, ${"inventory.updated" satisfies EventType} AS type,
                   'pool' AS aggregate_type, info.pool_id::text AS aggregate_id, info.version AS aggregate_version,
                   info.pool_facility_id AS facility_id, info.partner_id, info.booking_id,
                   jsonb_build_object(
                     'facility_code', info.facility_code, 'unit_type_code', info.unit_type_code, 'total', info.total,
                     'available', info.available, 'held', info.held, 'booked', info.booked, 'occupied', info.occupied,
                     'blocked', info.blocked, 'inventory_version', info.version, 'cause', ${cause}::text) AS data
            FROM info
            UNION ALL
            SELECT info.ord, 1, info.booking_event_id, ${cause}, 'booking', info.booking_id::text, booking.version,
                   info.facility_id, info.partner_id, info.booking_id,
                   jsonb_build_object(
                     'reference', info.reference, 'facility_code', info.facility_code, 'unit_type_code', info.unit_type_code,
                     'unit_code', info.unit_code, 'status', 'expired', 'hold_expired_at', info.hold_expired_at,
                     'inventory_version', info.version)
            FROM info JOIN booking ON booking.id = info.booking_id
            ORDER BY 1, 2
          ) AS ev`,
        )}
      )
      SELECT booking_id FROM info`;
    if (released.length !== due.length) {
      // A claimed hold whose unit is not HELD: the picture is inconsistent, so nothing of
      // this batch commits (as one hold's transitionUnit would refuse it).
      const done = new Set(released.map((r) => r.booking_id));
      const stuck = due.find((d) => !done.has(d.id))!;
      throw new DomainError("CONFLICT", `Unit ${stuck.unit_id} is not HELD any more.`);
    }
    await writeAuditBatch(
      tx,
      due.map((booking) => ({
        actor,
        action: "booking.expire",
        targetType: "booking",
        targetId: booking.reference,
        facilityId: booking.facility_id,
        at: options.now,
      })),
    );
    return due.length;
  });
}

/**
 * Releases every lapsed hold: `lanes` transactions side by side, each over its own share of
 * the pools, batch after batch until its share is done (docs/domain.md#holds-and-expiry).
 * Lanes never wait for one another: a pool, its units and its bookings are in one lane, and
 * each lane locks its pools in id order. Stops between batches once `signal` aborts.
 * Returns how many holds expired.
 */
export async function expireAllDue(
  options: { lanes: number; limit?: number; correlationId?: string; now?: Date; signal?: AbortSignal },
): Promise<number> {
  const limit = options.limit ?? EXPIRY_BATCH;
  const counts = await Promise.all(
    Array.from({ length: options.lanes }, async (_, index) => {
      let expired = 0;
      for (let n = limit; n === limit && !options.signal?.aborted; ) {
        n = await expireHolds({ limit, correlationId: options.correlationId, now: options.now, lane: { index, of: options.lanes } });
        expired += n;
      }
      return expired;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}
