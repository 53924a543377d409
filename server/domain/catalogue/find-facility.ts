import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";
import type { Tx } from "@/server/domain/shared/tx";

/**
 * A facility the actor may see, by its code or one it had before a rename
 * (docs/domain.md#catalogue); NOT_FOUND otherwise.
 */
export async function findFacility(tx: Tx, actor: Actor, code: string) {
  const facility = await tx.facility.findFirst({
    where: { OR: [{ code }, { previousCodes: { has: code } }], ...facilitiesInScope(actor) },
    select: { id: true, code: true, timezone: true, currency: true },
  });
  if (!facility) throw new DomainError("NOT_FOUND", `Facility ${code} was not found.`);
  return facility;
}

/** A unit type of the facility by its code or one it had before a rename; NOT_FOUND otherwise. */
export async function findUnitType(tx: Tx, facility: { id: string; code: string }, code: string) {
  const unitType = await tx.unitType.findFirst({
    where: { facilityId: facility.id, OR: [{ code }, { previousCodes: { has: code } }] },
    include: { pool: { select: { id: true } } },
  });
  if (!unitType || !unitType.pool) throw new DomainError("NOT_FOUND", `Unit type ${code} was not found at ${facility.code}.`);
  return { ...unitType, pool: unitType.pool };
}
