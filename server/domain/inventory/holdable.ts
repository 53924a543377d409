import { Prisma } from "../../generated/prisma/client";

/**
 * HOLDABLE_UNIT — the one rule for "a hold can take this unit" (docs/availability.md).
 *
 * A unit `u` is holdable when it is AVAILABLE, no ACTIVE maintenance block stands on it and
 * no live booking (TENTATIVE, CONFIRMED, FULFILLED) holds it. The unit picker
 * (pickAvailableUnit) hands out exactly these units, and reconciliation (the HOLDABLE
 * check) compares each pool's `available` counter with the number of them, so the two
 * cannot disagree without a discrepancy being raised.
 *
 * Every status change keeps a unit's status, its bookings and blocks and its pool's
 * counters together in one transaction, so in a consistent database the holdable units of
 * a pool are exactly its AVAILABLE units, and `available` (what `/availability` and the
 * console show) is exactly what a hold can take, at every moment. The two extra
 * conditions only matter for drift: a hold never takes a unit that a booking or an active
 * block already stands on, and reconciliation reports the pool.
 *
 * A SCHEDULED (upcoming) block does not make a unit unholdable: counters count such a
 * unit as available, so the picker must not skip it (skipping it was the bug of issue #10:
 * `/availability` showed a unit no hold could take). It takes those units last
 * (HOLDABLE_UNIT_ORDER); if a hold does land on one, the block's start moves the booking
 * to another unit of its type, or the block waits (audited) until one is free — the same
 * path as a booking made before the block was scheduled.
 *
 * Counters stay a plain count of unit statuses; making them leave out units with an
 * upcoming block instead would need the counter to change when a block is merely
 * scheduled or its start draws near (a time, not a transaction), and for a while it
 * would again disagree with what a hold can take.
 *
 * The fragment refers to the unit as `u`: use it as `FROM units u WHERE … AND ${HOLDABLE_UNIT}`.
 */
export const HOLDABLE_UNIT = Prisma.sql`(
  u.status = 'AVAILABLE'
  AND NOT EXISTS (SELECT 1 FROM maintenance_blocks hb WHERE hb.unit_id = u.id AND hb.status = 'ACTIVE')
  AND NOT EXISTS (SELECT 1 FROM bookings hk
                  WHERE hk.unit_id = u.id AND hk.status IN ('TENTATIVE', 'CONFIRMED', 'FULFILLED'))
)`;

/**
 * The order in which the picker hands out holdable units (alias `u`): units without an
 * upcoming (SCHEDULED) block first, then lowest floor and code, so holds fill a building
 * predictably and a unit about to go out of service is the last one taken.
 */
export const HOLDABLE_UNIT_ORDER = Prisma.sql`
  EXISTS (SELECT 1 FROM maintenance_blocks sb WHERE sb.unit_id = u.id AND sb.status = 'SCHEDULED'), u.floor, u.code`;
