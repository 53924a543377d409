import { z } from "zod";
import { currentRateSql } from "../catalogue/current-rate";
import { getDb } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";
import { notFound } from "@/server/domain/shared/errors";
import { currencyForCountry } from "./currency";

/**
 * The inventory board's read side: facilities the actor may see, each with its pools
 * (one per unit type) and their counters. The actor's facility scope is part of the
 * query, so a facility outside it is simply not found.
 */

export const FacilityCodeInput = z
  .object({
    facilityCode: z
      .string()
      .trim()
      .min(1)
      .max(32)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "A facility code is letters, digits and dashes, e.g. LON-01.")
      .transform((code) => code.toUpperCase()),
  })
  .strict();
export type FacilityCodeInput = z.input<typeof FacilityCodeInput>;

export interface PoolCounters {
  total: number;
  available: number;
  held: number;
  booked: number;
  occupied: number;
  blocked: number;
}

export interface PoolSummary extends PoolCounters {
  unitTypeCode: string;
  unitTypeName: string;
  widthFt: number;
  depthFt: number;
  areaSqFt: number;
  climateControlled: boolean;
  monthlyRateCents: number;
  inventoryVersion: number;
  updatedAt: Date;
}

export interface FacilityInventory {
  code: string;
  name: string;
  timezone: string;
  city: string;
  country: string;
  /** ISO 4217, from the country; null when not configured */
  currency: string | null;
  pools: PoolSummary[];
  totals: PoolCounters;
}

export interface InventoryOverview {
  facilities: FacilityInventory[];
  /** when this was read, to show each facility's local time beside it */
  asOf: Date;
}

const facilitySelect = {
  code: true,
  name: true,
  timezone: true,
  city: true,
  country: true,
  pools: {
    select: {
      total: true,
      available: true,
      held: true,
      booked: true,
      occupied: true,
      blocked: true,
      inventoryVersion: true,
      updatedAt: true,
      unitType: {
        select: {
          id: true,
          code: true,
          name: true,
          widthFt: true,
          depthFt: true,
          areaSqFt: true,
          climateControlled: true,
          monthlyRateCents: true,
        },
      },
    },
    orderBy: [{ unitType: { areaSqFt: "asc" } }, { unitType: { code: "asc" } }],
  },
} satisfies Prisma.FacilitySelect;

type FacilityRow = Prisma.FacilityGetPayload<{ select: typeof facilitySelect }>;

const COUNTERS = ["total", "available", "held", "booked", "occupied", "blocked"] as const;

/** The rate in force today at each unit type's facility (CURRENT_RATE, docs/domain.md#rates), by unit type id. */
async function ratesInForce(rows: readonly FacilityRow[]): Promise<Map<string, number>> {
  const ids = rows.flatMap((row) => row.pools.map((pool) => pool.unitType.id));
  if (!ids.length) return new Map();
  const rates = await getDb().$queryRaw<{ id: string; rate: number }[]>`
    SELECT ut.id, ${currentRateSql(null)}::int AS rate
    FROM unit_types ut JOIN facilities f ON f.id = ut.facility_id
    WHERE ut.id = ANY(${ids}::uuid[])`;
  return new Map(rates.map((r) => [r.id, r.rate]));
}

function toFacilityInventory(row: FacilityRow, rates: ReadonlyMap<string, number>): FacilityInventory {
  const pools: PoolSummary[] = row.pools.map((pool) => ({
    unitTypeCode: pool.unitType.code,
    unitTypeName: pool.unitType.name,
    widthFt: Number(pool.unitType.widthFt),
    depthFt: Number(pool.unitType.depthFt),
    areaSqFt: Number(pool.unitType.areaSqFt),
    climateControlled: pool.unitType.climateControlled,
    monthlyRateCents: rates.get(pool.unitType.id) ?? pool.unitType.monthlyRateCents,
    total: pool.total,
    available: pool.available,
    held: pool.held,
    booked: pool.booked,
    occupied: pool.occupied,
    blocked: pool.blocked,
    inventoryVersion: pool.inventoryVersion,
    updatedAt: pool.updatedAt,
  }));
  const totals = Object.fromEntries(
    COUNTERS.map((counter) => [counter, pools.reduce((sum, pool) => sum + pool[counter], 0)]),
  ) as unknown as PoolCounters;
  return {
    code: row.code,
    name: row.name,
    timezone: row.timezone,
    city: row.city,
    country: row.country.trim(),
    currency: currencyForCountry(row.country),
    pools,
    totals,
  };
}

/** Every facility the actor may see, by code, with its pools. */
export async function listFacilityPools(actor: Actor): Promise<InventoryOverview> {
  const rows = await getDb().facility.findMany({
    where: facilitiesInScope(actor),
    select: facilitySelect,
    orderBy: { code: "asc" },
  });
  const rates = await ratesInForce(rows);
  return { facilities: rows.map((row) => toFacilityInventory(row, rates)), asOf: new Date() };
}

/** One facility by code; NOT_FOUND when it does not exist or is outside the actor's scope. */
export async function getFacilityPools(actor: Actor, facilityCode: string): Promise<FacilityInventory> {
  const row = await getDb().facility.findFirst({
    where: { code: facilityCode, ...facilitiesInScope(actor) },
    select: facilitySelect,
  });
  if (!row) throw notFound("Facility", facilityCode);
  return toFacilityInventory(row, await ratesInForce([row]));
}
