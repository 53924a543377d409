import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope, inScope } from "@/server/domain/shared/facility-scope";
import { DomainError } from "@/server/domain/shared/errors";
import type { PoolCounters } from "./unit-transition";

export interface PoolAvailability extends PoolCounters {
  facilityCode: string;
  unitTypeCode: string;
  updatedAt: Date;
}

/** Pools with counters and inventory_version, optionally for one facility / unit type. */
export async function listAvailability(
  actor: Actor,
  filter: { facilityCode?: string; unitTypeCode?: string } = {},
): Promise<PoolAvailability[]> {
  const pools = await getDb().inventoryPool.findMany({
    where: {
      ...inScope(actor),
      ...(filter.facilityCode ? { facility: { code: filter.facilityCode } } : {}),
      ...(filter.unitTypeCode ? { unitType: { code: filter.unitTypeCode } } : {}),
    },
    include: { facility: { select: { code: true } }, unitType: { select: { code: true, areaSqFt: true } } },
    orderBy: [{ facility: { code: "asc" } }, { unitType: { areaSqFt: "asc" } }],
  });
  if (filter.facilityCode && pools.length === 0) {
    const visible = await getDb().facility.count({
      where: { code: filter.facilityCode, ...facilitiesInScope(actor) },
    });
    if (!visible) throw new DomainError("NOT_FOUND", `Facility ${filter.facilityCode} was not found.`);
  }
  return pools.map((p) => ({
    facilityCode: p.facility.code,
    unitTypeCode: p.unitType.code,
    total: p.total,
    available: p.available,
    held: p.held,
    booked: p.booked,
    occupied: p.occupied,
    blocked: p.blocked,
    inventoryVersion: p.inventoryVersion,
    updatedAt: p.updatedAt,
  }));
}
