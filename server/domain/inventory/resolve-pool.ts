import type { Actor } from "../shared/actor";
import { DomainError } from "../shared/errors";
import type { Tx } from "../shared/tx";

export interface ResolvedPool {
  poolId: string;
  facilityId: string;
  facilityCode: string;
  facilityTimezone: string;
  unitTypeId: string;
  unitTypeCode: string;
  monthlyRateCents: number;
  inventoryVersion: number;
  /** committed count when read; 0 means nothing to hold */
  available: number;
}

/** The pool for facility + unit type codes, if the actor may see that facility. */
export async function resolvePool(tx: Tx, facilityCode: string, unitTypeCode: string, actor: Actor): Promise<ResolvedPool> {
  const unitType = await tx.unitType.findFirst({
    where: {
      code: unitTypeCode,
      facility: { code: facilityCode, ...(actor.facilityIds ? { id: { in: [...actor.facilityIds] } } : {}) },
    },
    include: { facility: true, pool: true },
  });
  if (!unitType?.pool) {
    const facility = await tx.facility.findFirst({
      where: { code: facilityCode, ...(actor.facilityIds ? { id: { in: [...actor.facilityIds] } } : {}) },
      select: { id: true },
    });
    throw new DomainError(
      "NOT_FOUND",
      facility ? `Unit type ${unitTypeCode} was not found at ${facilityCode}.` : `Facility ${facilityCode} was not found.`,
    );
  }
  return {
    poolId: unitType.pool.id,
    facilityId: unitType.facilityId,
    facilityCode: unitType.facility.code,
    facilityTimezone: unitType.facility.timezone,
    unitTypeId: unitType.id,
    unitTypeCode: unitType.code,
    monthlyRateCents: unitType.monthlyRateCents,
    inventoryVersion: unitType.pool.inventoryVersion,
    available: unitType.pool.available,
  };
}
