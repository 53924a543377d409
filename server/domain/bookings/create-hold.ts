import { z } from "zod";
import { pgIsoDate } from "@/server/domain/shared/safe-input";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { fromDatabaseError } from "@/server/domain/shared/database-errors";
import { DomainError } from "@/server/domain/shared/errors";
import { insertEventFrom, type EventType } from "@/server/domain/shared/events";
import { newBookingReference, newId } from "@/server/domain/shared/ids";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import type { Tx } from "@/server/domain/shared/tx";
import { Prisma } from "../../generated/prisma/client";
import { transitionUnitThen } from "../inventory/unit-transition";
import { HOLDABLE_UNIT, HOLDABLE_UNIT_ORDER } from "../inventory/holdable";
import { resolvePool } from "../inventory/resolve-pool";
import type { BookingView } from "./booking-view";
import { allowedActions } from "./lifecycle";

const HOLD_TTL_MIN_SECONDS = 60;
const HOLD_TTL_MAX_SECONDS = 3600;

export const CreateHoldInput = z
  .object({
    facility_code: z.string().min(1).max(32),
    unit_type_code: z.string().min(1).max(32),
    partner_booking_reference: z.string().trim().min(1).max(100),
    customer: z
      .object({
        name: z.string().trim().min(1).max(200),
        email: z.email().max(254).toLowerCase(),
        phone: z
          .string()
          .trim()
          .regex(/^\+?[0-9 ().-]{5,32}$/, "phone must be digits, spaces and + ( ) . -")
          .optional(),
      })
      .strict(),
    move_in_date: pgIsoDate(),
    hold_ttl_seconds: z.number().int().min(HOLD_TTL_MIN_SECONDS).max(HOLD_TTL_MAX_SECONDS).optional(),
  })
  .strict();
export type CreateHoldInput = z.input<typeof CreateHoldInput>;

export interface CreateHoldContext extends ServiceOptions {
  idempotencyKey?: string | null;
  /** If-Match: the inventory_version the caller last saw for this pool */
  expectedInventoryVersion?: number | null;
}

const MAX_MOVE_IN_DAYS_AHEAD = 365;

/**
 * Create = hold: picks one specific holdable unit of the requested type and holds it.
 * Picking locks a unit row with FOR UPDATE SKIP LOCKED, so concurrent holds take
 * different units and none can oversell; when every free unit is locked by a transaction
 * still in flight, it waits for one of them rather than refusing too early.
 */
export async function createHold(
  raw: CreateHoldInput,
  actor: Actor,
  options: CreateHoldContext = {},
): Promise<BookingView> {
  await authorize(actor, "booking.hold");
  const input = parseOrRefuse(CreateHoldInput, raw);
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const pool = await resolvePool(tx, input.facility_code, input.unit_type_code, actor, options.now ?? null);
    checkMoveInDate(input.move_in_date, pool.facilityTimezone, now);
    if (options.expectedInventoryVersion != null && options.expectedInventoryVersion !== pool.inventoryVersion) {
      throw versionConflict(pool.inventoryVersion, options.expectedInventoryVersion);
    }
    if (pool.available === 0) throw unavailable();
    const unitId = await pickAvailableUnit(tx, pool.poolId);
    const holdExpiresAtSql = input.hold_ttl_seconds ?? null;
    // Raw SQL (this is the hot path): the booking row, with the partner's default hold
    // TTL when none was asked for; a reference that is taken already is drawn again.
    let booking: { id: string; reference: string; unit_code: string; hold_expires_at: Date; ttl: number } | undefined;
    for (let attempt = 0; !booking; attempt++) {
      // No row: the reference was taken (draw again) — or the partner is gone.
      if (attempt === 5) throw new DomainError("UNAUTHENTICATED", "The partner of this API key no longer exists.");
      const rows = await tx.$queryRaw<{ id: string; reference: string; unit_code: string; hold_expires_at: Date; ttl: number }[]>`
        WITH partner AS (SELECT coalesce(${holdExpiresAtSql}::int, hold_ttl_seconds) AS ttl FROM partners WHERE id = ${actor.id}::uuid)
        INSERT INTO bookings (reference, partner_id, facility_id, unit_type_id, pool_id, unit_id, partner_booking_reference,
                              customer_name, customer_email, customer_phone, move_in_date, status, hold_expires_at,
                              monthly_rate_cents, idempotency_key, correlation_id, version, inventory_version,
                              last_event_at, created_at, updated_at)
        SELECT ${newBookingReference()}, ${actor.id}::uuid, ${pool.facilityId}::uuid, ${pool.unitTypeId}::uuid, ${pool.poolId}::uuid,
               ${unitId}::uuid, ${input.partner_booking_reference}, ${input.customer.name}, ${input.customer.email},
               ${input.customer.phone ?? null}, ${input.move_in_date}::date, 'TENTATIVE',
               ${now}::timestamptz + make_interval(secs => partner.ttl), ${pool.monthlyRateCents},
               ${options.idempotencyKey ?? null}, ${actor.correlationId}, 1, ${pool.inventoryVersion}, ${now}, ${now}, ${now}
        FROM partner
        ON CONFLICT (reference) DO NOTHING
        RETURNING id, reference, hold_expires_at, (SELECT ttl FROM partner) AS ttl,
                  (SELECT code FROM units WHERE id = ${unitId}::uuid) AS unit_code`;
      booking = rows[0];
    }
    const reference = booking.reference;
    const holdExpiresAt = booking.hold_expires_at;
    const ttl = booking.ttl;
    await writeAudit(tx, actor, {
      action: "booking.hold",
      targetType: "booking",
      targetId: reference,
      facilityId: pool.facilityId,
      metadata: { unit_type_code: pool.unitTypeCode, ttl_seconds: ttl, idempotency_key: options.idempotencyKey ?? null },
      at: options.now,
    });

    // From here the pool row is locked until commit: keep it short — one statement (the
    // unit, the pool and its event, the booking's inventory_version and booking.held),
    // then the commit.
    const eventData = {
      reference,
      status: "tentative",
      facility_code: pool.facilityCode,
      unit_type_code: pool.unitTypeCode,
      unit_code: booking.unit_code,
      partner_booking_reference: input.partner_booking_reference,
      move_in_date: input.move_in_date,
      hold_expires_at: holdExpiresAt.toISOString(),
    };
    const { pool: snapshot } = await transitionUnitThen(
      tx,
      {
        unitId,
        from: "AVAILABLE",
        to: "HELD",
        correlationId: actor.correlationId,
        cause: "booking.held",
        bookingId: booking.id,
        partnerId: actor.id,
        now: options.now,
      },
      {
        ctes: Prisma.sql`booking_version AS (
          UPDATE bookings SET inventory_version = (SELECT inventory_version FROM info) WHERE id = ${booking.id}::uuid
        ), held_event AS (
          ${insertEventFrom(
            {
              id: Prisma.sql`${newId("evt", options.now?.getTime())}`,
              type: Prisma.sql`${"booking.held" satisfies EventType}`,
              aggregateType: Prisma.sql`'booking'`,
              aggregateId: Prisma.sql`${booking.id}`,
              aggregateVersion: Prisma.sql`1`,
              facilityId: Prisma.sql`${pool.facilityId}`,
              partnerId: Prisma.sql`${actor.id}`,
              bookingId: Prisma.sql`${booking.id}`,
              correlationId: Prisma.sql`${actor.correlationId}`,
              data: Prisma.sql`${JSON.stringify(eventData)}::jsonb || jsonb_build_object('inventory_version', info.inventory_version)`,
              createdAt: Prisma.sql`${options.now ?? null}`,
            },
            Prisma.sql`info WHERE EXISTS (SELECT 1 FROM event)`,
          )}
        )`,
      },
    );
    if (options.expectedInventoryVersion != null && snapshot.inventoryVersion !== options.expectedInventoryVersion + 1) {
      // Someone changed the pool between our read and our update (the whole transaction rolls back).
      throw versionConflict(snapshot.inventoryVersion - 1, options.expectedInventoryVersion);
    }
    return {
      id: booking.id,
      reference,
      status: "TENTATIVE",
      facilityId: pool.facilityId,
      facilityCode: pool.facilityCode,
      facilityTimezone: pool.facilityTimezone,
      unitTypeCode: pool.unitTypeCode,
      unitCode: booking.unit_code,
      partnerId: actor.id,
      partnerCode: actor.label,
      partnerBookingReference: input.partner_booking_reference,
      customer: { name: input.customer.name, email: input.customer.email, phone: input.customer.phone ?? null },
      customerErasedAt: null,
      moveInDate: input.move_in_date,
      holdExpiresAt,
      inventoryVersion: snapshot.inventoryVersion,
      version: 1,
      idempotencyKey: options.idempotencyKey ?? null,
      correlationId: actor.correlationId,
      lastEventAt: now,
      createdAt: now,
      confirmedAt: null,
      fulfilledAt: null,
      cancelledAt: null,
      expiredAt: null,
      cancelReason: null,
      cancelledBy: null,
      movedOutAt: null,
      monthlyRateCents: pool.monthlyRateCents,
      allowedActions: allowedActions("TENTATIVE"),
    } satisfies BookingView;
  });
}

function versionConflict(current: number, expected: number): DomainError {
  return new DomainError(
    "VERSION_CONFLICT",
    `The pool is at inventory_version ${current}, not ${expected}.`,
    { current_inventory_version: current, expected_inventory_version: expected },
  );
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();

/** YYYY-MM-DD at the facility (formatters are cached: building one costs more than a query). */
function facilityToday(timezone: string, now: Date): string {
  let format = dayFormats.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-CA", { timeZone: timezone });
    dayFormats.set(timezone, format);
  }
  return format.format(now);
}

function checkMoveInDate(moveInDate: string, timezone: string, now: Date): void {
  const today = facilityToday(timezone, now);
  const problem =
    moveInDate < today
      ? `move_in_date ${moveInDate} is before today (${today}) at the facility.`
      : Date.parse(moveInDate) - Date.parse(today) > MAX_MOVE_IN_DAYS_AHEAD * 86_400_000
        ? `move_in_date may be at most ${MAX_MOVE_IN_DAYS_AHEAD} days ahead.`
        : null;
  if (problem) {
    throw new DomainError("VALIDATION_FAILED", problem, {}, [{ path: "move_in_date", message: problem }]);
  }
}

/**
 * One holdable unit of the pool (HOLDABLE_UNIT: the rule reconciliation checks the pool's
 * `available` counter against), locked for this transaction. No unit the counters call
 * available is skipped: units with an upcoming scheduled block are taken last, then lowest
 * floor and code first, so holds fill a building predictably (docs/availability.md).
 */
export async function pickAvailableUnit(tx: Tx, poolId: string, excludeUnitId?: string): Promise<string> {
  const exclude = excludeUnitId ?? "00000000-0000-0000-0000-000000000000";
  // A locking read that meets a row changed since its snapshot locks the new version and
  // then skips it, and that lock lasts until commit. Kept into a later (blocking) read that
  // starts again from the first unit, such locks let pickers wait for each other in a
  // circle (deadlocks, seen under plain hold races and with cancels). So each locking read
  // runs under a savepoint that is rolled back when it picks nothing; a blocking read then
  // holds only locks it took in unit order (HOLDABLE_UNIT_ORDER), and those cannot form a
  // circle. That order moves a unit only when a block is scheduled or called off on it,
  // which takes the unit's own lock first.
  const giveUp = async () => {
    await tx.$executeRaw`ROLLBACK TO SAVEPOINT pick_unit`;
    await tx.$executeRaw`RELEASE SAVEPOINT pick_unit`;
  };
  for (let attempt = 0; attempt < 20; attempt++) {
    await tx.$executeRaw`SAVEPOINT pick_unit`;
    const free = await tx.$queryRaw<{ id: string }[]>`
      SELECT u.id FROM units u
      WHERE u.pool_id = ${poolId}::uuid AND u.id <> ${exclude}::uuid AND ${HOLDABLE_UNIT}
      ORDER BY ${HOLDABLE_UNIT_ORDER}
      LIMIT 1 FOR UPDATE SKIP LOCKED`;
    if (free[0]) {
      await tx.$executeRaw`RELEASE SAVEPOINT pick_unit`;
      return free[0].id;
    }
    await giveUp();
    const committed = await tx.$queryRaw<{ available: number }[]>`
      SELECT available FROM inventory_pools WHERE id = ${poolId}::uuid`;
    if (!committed[0]?.available) break;
    // Every candidate is locked by another transaction, or there is none. Wait for the
    // first locked one: if its transaction rolls back we get it; if it commits it no
    // longer qualifies and we look again.
    await tx.$executeRaw`SAVEPOINT pick_unit`;
    await tx.$executeRaw`SET LOCAL lock_timeout = '10s'`;
    let waited: { id: string }[];
    try {
      waited = await tx.$queryRaw<{ id: string }[]>`
        SELECT u.id FROM units u
        WHERE u.pool_id = ${poolId}::uuid AND u.id <> ${exclude}::uuid AND ${HOLDABLE_UNIT}
        ORDER BY ${HOLDABLE_UNIT_ORDER}
        LIMIT 1 FOR UPDATE`;
    } catch (error) {
      // The lock timeout, or a deadlock with a transaction outside this scheme (the other side goes on).
      throw fromDatabaseError(error, "The last units of this type are being changed by other requests; retry shortly.") ?? error;
    }
    await tx.$executeRaw`SET LOCAL lock_timeout = 0`;
    if (waited[0]) {
      await tx.$executeRaw`RELEASE SAVEPOINT pick_unit`;
      return waited[0].id;
    }
    await giveUp();
    const anyLeft = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM units u
      WHERE u.pool_id = ${poolId}::uuid AND u.id <> ${exclude}::uuid AND ${HOLDABLE_UNIT}`;
    if (!anyLeft[0]?.n) break;
  }
  throw unavailable();
}

function unavailable(): DomainError {
  return new DomainError("INVENTORY_UNAVAILABLE", "No unit of that type is available.");
}
