import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { DomainError } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import { currentRateSql } from "../catalogue/current-rate";

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

/**
 * The pool for facility + unit type codes, if the actor may see that facility (one query),
 * with the rate a hold made at `at` takes (CURRENT_RATE, docs/domain.md#rates).
 */
export async function resolvePool(tx: Tx, facilityCode: string, unitTypeCode: string, actor: Actor, at: Date | null = null): Promise<ResolvedPool> {
  const rows = await tx.$queryRaw<
    {
      facility_id: string;
      facility_code: string;
      facility_timezone: string;
      unit_type_id: string | null;
      unit_type_code: string | null;
      monthly_rate_cents: number | null;
      pool_id: string | null;
      inventory_version: number | null;
      available: number | null;
    }[]
  >`
    SELECT f.id AS facility_id, f.code AS facility_code, f.timezone AS facility_timezone,
           ut.id AS unit_type_id, ut.code AS unit_type_code, ${currentRateSql(at)} AS monthly_rate_cents,
           p.id AS pool_id, p.inventory_version, p.available
    FROM facilities f
    LEFT JOIN unit_types ut ON ut.facility_id = f.id AND ut.code = ${unitTypeCode}
    LEFT JOIN inventory_pools p ON p.unit_type_id = ut.id
    WHERE f.code = ${facilityCode} ${scopeSql(actor, Prisma.sql`f.id`)}`;
  const row = rows[0];
  if (!row) throw new DomainError("NOT_FOUND", `Facility ${facilityCode} was not found.`);
  if (!row.pool_id || !row.unit_type_id) {
    throw new DomainError("NOT_FOUND", `Unit type ${unitTypeCode} was not found at ${facilityCode}.`);
  }
  return {
    poolId: row.pool_id,
    facilityId: row.facility_id,
    facilityCode: row.facility_code,
    facilityTimezone: row.facility_timezone,
    unitTypeId: row.unit_type_id,
    unitTypeCode: row.unit_type_code!,
    monthlyRateCents: row.monthly_rate_cents!,
    inventoryVersion: row.inventory_version!,
    available: row.available!,
  };
}
