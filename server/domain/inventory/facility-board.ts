import { z } from "zod";
import { getDb } from "../../db";
import type { Prisma } from "../../generated/prisma/client";
import type { BlockReason, BlockStatus, BookingStatus, UnitStatus } from "../../generated/prisma/enums";
import { effectiveStatus, LIVE_STATUSES } from "../bookings/lifecycle";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";
import { notFound } from "@/server/domain/shared/errors";
import { FacilityCodeInput, getFacilityPools, type FacilityInventory } from "./list-facility-pools";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * The facility board's read side (docs/domain.md#unit-states; the
 * `/inventory/{facility_code}` screen of docs/architecture.md#console-screens): the
 * facility's pools with their counters and inventory_version, and its units — each with
 * its status, the live booking on it and its active or scheduled blocks — filtered by unit
 * type and status. The actor's facility scope is part of the query: a facility outside
 * it is not found.
 */

const UNIT_STATUSES = ["AVAILABLE", "HELD", "BOOKED", "OCCUPIED", "BLOCKED"] as const satisfies readonly UnitStatus[];

const UnitTypeCode = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "A unit type code is letters, digits and dashes.");

export const FacilityBoardInput = FacilityCodeInput.extend({
  /** only units of this type (its code) */
  unitType: UnitTypeCode.transform((code) => code.toUpperCase()).optional(),
  /** only units in these statuses (default: all) */
  status: z.array(z.enum(UNIT_STATUSES)).max(UNIT_STATUSES.length).optional(),
}).strict();
export type FacilityBoardInput = z.input<typeof FacilityBoardInput>;

export interface BoardBooking {
  reference: string;
  /** effective: a hold past its expiry reads EXPIRED */
  status: BookingStatus;
  partnerCode: string;
  customerName: string;
  /** YYYY-MM-DD */
  moveInDate: string;
  holdExpiresAt: Date;
}

export interface BoardBlock {
  id: string;
  status: BlockStatus;
  reason: BlockReason;
  note: string;
  startsAt: Date;
  endsAt: Date | null;
}

export interface BoardUnit {
  code: string;
  floor: number;
  status: UnitStatus;
  statusChangedAt: Date;
  unitTypeCode: string;
  /** the unit's live booking (tentative, confirmed or fulfilled), if any */
  booking: BoardBooking | null;
  /** ACTIVE first, then SCHEDULED by start */
  blocks: BoardBlock[];
}

export interface FacilityBoard {
  /** the facility's id, for permission checks per facility (can(user, perm, facilityId)) */
  facilityId: string;
  facility: FacilityInventory;
  units: BoardUnit[];
  /** how many units the facility has before the filters */
  unfilteredCount: number;
  asOf: Date;
}

const boardUnitSelect = {
  code: true,
  floor: true,
  status: true,
  statusChangedAt: true,
  unitType: { select: { code: true } },
  bookings: {
    where: { status: { in: [...LIVE_STATUSES] } },
    select: {
      reference: true,
      status: true,
      customerName: true,
      moveInDate: true,
      holdExpiresAt: true,
      partner: { select: { code: true } },
    },
    take: 1,
  },
  blocks: {
    where: { status: { in: ["ACTIVE", "SCHEDULED"] } },
    select: { id: true, status: true, reason: true, note: true, startsAt: true, endsAt: true },
    orderBy: [{ status: "asc" }, { startsAt: "asc" }],
  },
} satisfies Prisma.UnitSelect;

type BoardUnitRow = Prisma.UnitGetPayload<{ select: typeof boardUnitSelect }>;

const collator = new Intl.Collator("en", { numeric: true, sensitivity: "base" });

/** "A-9" before "A-10": unit codes in the order staff walk them. */
function compareUnitCodes(a: string, b: string): number {
  return collator.compare(a, b);
}

function toBoardUnit(row: BoardUnitRow, now: Date): BoardUnit {
  const booking = row.bookings[0];
  const blockOrder: Record<BlockStatus, number> = { ACTIVE: 0, SCHEDULED: 1, ENDED: 2, CANCELLED: 3 };
  return {
    code: row.code,
    floor: row.floor,
    status: row.status,
    statusChangedAt: row.statusChangedAt,
    unitTypeCode: row.unitType.code,
    booking: booking
      ? {
          reference: booking.reference,
          status: effectiveStatus(booking, now),
          partnerCode: booking.partner.code,
          customerName: booking.customerName,
          moveInDate: booking.moveInDate.toISOString().slice(0, 10),
          holdExpiresAt: booking.holdExpiresAt,
        }
      : null,
    blocks: [...row.blocks].sort((x, y) => blockOrder[x.status] - blockOrder[y.status] || x.startsAt.getTime() - y.startsAt.getTime()),
  };
}

/** Resolves a facility code within the actor's scope to its id; NOT_FOUND outside it. */
export async function facilityIdInScope(actor: Actor, facilityCode: string): Promise<{ id: string; code: string; timezone: string }> {
  const facility = await getDb().facility.findFirst({
    where: { code: facilityCode, ...facilitiesInScope(actor) },
    select: { id: true, code: true, timezone: true },
  });
  if (!facility) throw notFound("Facility", facilityCode);
  return facility;
}

export async function getFacilityBoard(actor: Actor, rawInput: FacilityBoardInput, now = new Date()): Promise<FacilityBoard> {
  const input = parseOrRefuse(FacilityBoardInput, rawInput);
  const { id: facilityId } = await facilityIdInScope(actor, input.facilityCode);
  const db = getDb();
  const where: Prisma.UnitWhereInput = {
    facilityId,
    ...(input.unitType ? { unitType: { code: input.unitType } } : {}),
    // a RETIRED unit is off the board (docs/domain.md#catalogue)
    status: input.status?.length ? { in: input.status } : { not: "RETIRED" },
  };
  const [facility, rows, unfilteredCount] = await Promise.all([
    getFacilityPools(actor, input.facilityCode),
    db.unit.findMany({ where, select: boardUnitSelect }),
    db.unit.count({ where: { facilityId, status: { not: "RETIRED" } } }),
  ]);
  const units = rows.map((row) => toBoardUnit(row, now)).sort((a, b) => compareUnitCodes(a.code, b.code));
  return { facilityId, facility, units, unfilteredCount, asOf: now };
}
