import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import type { Tx } from "@/server/domain/shared/tx";
import type { LockedUnit } from "../inventory/maintenance-blocks";

export type CatalogueUnit = LockedUnit & { unit_type_id: string };

/**
 * Locks a unit (FOR UPDATE, the actor's facility scope in the WHERE) by its facility's
 * code — current or previous — and its own code, for a retire or a retype
 * (docs/domain.md#catalogue). Every hold picks its unit with a row lock
 * (FOR UPDATE SKIP LOCKED) and every block change locks the unit too, so while this lock
 * is held no booking or block can appear on the unit.
 */
export async function lockCatalogueUnit(tx: Tx, actor: Actor, facilityCode: string, unitCode: string): Promise<CatalogueUnit> {
  const rows = await tx.$queryRaw<CatalogueUnit[]>`
    SELECT u.id, u.code, u.status::text AS status, u.facility_id, f.code AS facility_code, f.timezone AS facility_timezone,
           u.pool_id, u.unit_type_id, ut.code AS unit_type_code
    FROM units u JOIN facilities f ON f.id = u.facility_id JOIN unit_types ut ON ut.id = u.unit_type_id
    WHERE (f.code = ${facilityCode} OR ${facilityCode} = ANY(f.previous_codes)) AND u.code = ${unitCode}
      ${scopeSql(actor, Prisma.sql`u.facility_id`)}
    FOR UPDATE OF u`;
  const unit = rows[0];
  if (!unit) throw new DomainError("NOT_FOUND", `Unit ${unitCode} was not found at ${facilityCode}.`);
  return unit;
}

/**
 * Refuses (CONFLICT, changing nothing) to take a unit out of its pool while something
 * stands on it: a live booking (TENTATIVE, CONFIRMED, FULFILLED) — named by reference —
 * or an ACTIVE or SCHEDULED maintenance block — named by id. `action` is what was asked
 * ("retire", "retype"). The caller holds the unit's row lock.
 */
export async function refuseIfInUse(tx: Tx, unit: CatalogueUnit, action: "retire" | "retype"): Promise<void> {
  const bookings = await tx.$queryRaw<{ reference: string; status: string }[]>`
    SELECT reference, status::text AS status FROM bookings
    WHERE unit_id = ${unit.id}::uuid AND status IN ('TENTATIVE', 'CONFIRMED', 'FULFILLED') LIMIT 1`;
  const booking = bookings[0];
  if (booking) {
    throw new DomainError(
      "CONFLICT",
      `Unit ${unit.code} cannot be ${action}d: booking ${booking.reference} (${booking.status}) stands on it.`,
      { unit_code: unit.code, booking_reference: booking.reference, booking_status: booking.status },
    );
  }
  const blocks = await tx.$queryRaw<{ id: string; status: string }[]>`
    SELECT id, status::text AS status FROM maintenance_blocks
    WHERE unit_id = ${unit.id}::uuid AND status IN ('ACTIVE', 'SCHEDULED') ORDER BY starts_at, id LIMIT 1`;
  const block = blocks[0];
  if (block) {
    throw new DomainError(
      "CONFLICT",
      `Unit ${unit.code} cannot be ${action}d: maintenance block ${block.id} (${block.status}) stands on it.`,
      { unit_code: unit.code, block_id: block.id, block_status: block.status },
    );
  }
  if (unit.status !== "AVAILABLE") {
    throw new DomainError("CONFLICT", `Unit ${unit.code} cannot be ${action}d: it is ${unit.status}.`, {
      unit_code: unit.code,
      current_status: unit.status,
    });
  }
}
