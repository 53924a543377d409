import { z } from "zod";
import { getDb } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { FacilityCodeInput } from "./list-facility-pools";
import { facilityIdInScope } from "./facility-board";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * The live holds board: a facility's tentative bookings whose hold has not yet expired,
 * soonest expiry first, with what a support engineer needs to follow one up (partner,
 * idempotency key, correlation id, inventory_version). A hold past its expiry is not
 * active, whether or not the expiry job has run yet (docs/domain.md#holds-and-expiry).
 */

export const ListActiveHoldsInput = FacilityCodeInput.extend({
  /** only holds of this unit type (its code) */
  unitType: z
    .string()
    .trim()
    .min(1)
    .max(32)
    .transform((code) => code.toUpperCase())
    .optional(),
  limit: z.number().int().min(1).max(1000).default(500),
}).strict();
export type ListActiveHoldsInput = z.input<typeof ListActiveHoldsInput>;

export interface ActiveHold {
  reference: string;
  unitCode: string;
  unitTypeCode: string;
  partnerCode: string;
  partnerName: string;
  partnerBookingReference: string;
  customerName: string;
  /** YYYY-MM-DD */
  moveInDate: string;
  holdExpiresAt: Date;
  createdAt: Date;
  idempotencyKey: string | null;
  correlationId: string | null;
  /** the pool's inventory_version right after the hold was taken (or last changed) */
  inventoryVersion: number;
  version: number;
}

export interface ActiveHolds {
  facilityCode: string;
  facilityTimezone: string;
  holds: ActiveHold[];
  asOf: Date;
}

const holdSelect = {
  reference: true,
  partnerBookingReference: true,
  customerName: true,
  moveInDate: true,
  holdExpiresAt: true,
  createdAt: true,
  idempotencyKey: true,
  correlationId: true,
  inventoryVersion: true,
  version: true,
  unit: { select: { code: true } },
  unitType: { select: { code: true } },
  partner: { select: { code: true, name: true } },
} satisfies Prisma.BookingSelect;

export async function listActiveHolds(actor: Actor, rawInput: ListActiveHoldsInput, now = new Date()): Promise<ActiveHolds> {
  const input = parseOrRefuse(ListActiveHoldsInput, rawInput);
  const facility = await facilityIdInScope(actor, input.facilityCode);
  const rows = await getDb().booking.findMany({
    where: {
      facilityId: facility.id,
      status: "TENTATIVE",
      holdExpiresAt: { gt: now },
      ...(input.unitType ? { unitType: { code: input.unitType } } : {}),
    },
    select: holdSelect,
    orderBy: [{ holdExpiresAt: "asc" }, { reference: "asc" }],
    take: input.limit,
  });
  return {
    facilityCode: facility.code,
    facilityTimezone: facility.timezone,
    asOf: now,
    holds: rows.map((row) => ({
      reference: row.reference,
      unitCode: row.unit.code,
      unitTypeCode: row.unitType.code,
      partnerCode: row.partner.code,
      partnerName: row.partner.name,
      partnerBookingReference: row.partnerBookingReference,
      customerName: row.customerName,
      moveInDate: row.moveInDate.toISOString().slice(0, 10),
      holdExpiresAt: row.holdExpiresAt,
      createdAt: row.createdAt,
      idempotencyKey: row.idempotencyKey,
      correlationId: row.correlationId,
      inventoryVersion: row.inventoryVersion,
      version: row.version,
    })),
  };
}
