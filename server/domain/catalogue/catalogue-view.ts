import type { Prisma } from "../../generated/prisma/client";
import { dayAt } from "./catalogue-codes";
import { rateOn } from "./current-rate";

/**
 * How the catalogue reads a facility (docs/domain.md#catalogue): its fields and previous
 * codes, its unit types with the rate in force today at the facility and the changes
 * scheduled after it, and each type's pool counters. Shared by the console (listCatalogue)
 * and the partner API (getCatalogueFacility). The units are not here: the console pages
 * them with the board's read (getFacilityBoard, includeRetired), so the view stays the same
 * size whatever the facility holds (docs/performance.md#catalogue).
 */
export const catalogueFacilitySelect = {
  id: true,
  code: true,
  name: true,
  timezone: true,
  addressLine1: true,
  city: true,
  postalCode: true,
  country: true,
  currency: true,
  accessHours: true,
  previousCodes: true,
  createdAt: true,
  unitTypes: {
    orderBy: [{ areaSqFt: "asc" }, { code: "asc" }],
    select: {
      id: true,
      code: true,
      name: true,
      widthFt: true,
      depthFt: true,
      areaSqFt: true,
      climateControlled: true,
      features: true,
      monthlyRateCents: true,
      previousCodes: true,
      rates: { select: { effectiveFrom: true, monthlyRateCents: true } },
      pool: { select: { total: true, available: true, held: true, booked: true, occupied: true, blocked: true, inventoryVersion: true } },
    },
  },
} satisfies Prisma.FacilitySelect;

type FacilityRow = Prisma.FacilityGetPayload<{ select: typeof catalogueFacilitySelect }>;

export interface CatalogueUnitType {
  code: string;
  name: string;
  widthFt: number;
  depthFt: number;
  areaSqFt: number;
  climateControlled: boolean;
  features: string[];
  previousCodes: string[];
  /** the rate a hold made now takes (CURRENT_RATE) */
  monthlyRateCents: number;
  /** rate changes after today, soonest first */
  scheduledRates: { effectiveFrom: string; monthlyRateCents: number }[];
  pool: { total: number; available: number; held: number; booked: number; occupied: number; blocked: number; inventoryVersion: number };
}

export interface CatalogueFacility {
  code: string;
  name: string;
  timezone: string;
  address: { line1: string; city: string; postalCode: string; country: string };
  currency: string;
  accessHours: string;
  previousCodes: string[];
  /** YYYY-MM-DD at the facility when read */
  today: string;
  unitTypes: CatalogueUnitType[];
}

export function toCatalogueFacility(f: FacilityRow, now: Date): CatalogueFacility {
  const today = dayAt(f.timezone, now);
  return {
    code: f.code,
    name: f.name,
    timezone: f.timezone,
    address: { line1: f.addressLine1, city: f.city, postalCode: f.postalCode, country: f.country },
    currency: f.currency,
    accessHours: f.accessHours,
    previousCodes: f.previousCodes,
    today,
    unitTypes: f.unitTypes.map((t) => {
      const rates = rateOn(
        today,
        t.monthlyRateCents,
        t.rates.map((r) => ({ effectiveFrom: r.effectiveFrom.toISOString().slice(0, 10), monthlyRateCents: r.monthlyRateCents })),
      );
      return {
        code: t.code,
        name: t.name,
        widthFt: Number(t.widthFt),
        depthFt: Number(t.depthFt),
        areaSqFt: Number(t.areaSqFt),
        climateControlled: t.climateControlled,
        features: t.features,
        previousCodes: t.previousCodes,
        monthlyRateCents: rates.current,
        scheduledRates: rates.scheduled,
        pool: t.pool ?? { total: 0, available: 0, held: 0, booked: 0, occupied: 0, blocked: 0, inventoryVersion: 0 },
      };
    }),
  };
}
