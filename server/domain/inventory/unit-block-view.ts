import type { Prisma } from "../../generated/prisma/client";
import type { BlockReason, BlockStatus } from "../../generated/prisma/enums";
import type { Tx } from "@/server/domain/shared/tx";

/** A maintenance block as the console shows it: the unit, why, when, and who. */
export interface UnitBlockView {
  id: string;
  facilityCode: string;
  facilityTimezone: string;
  unitCode: string;
  unitTypeCode: string;
  reason: BlockReason;
  note: string;
  status: BlockStatus;
  startsAt: Date;
  endsAt: Date | null;
  startedAt: Date | null;
  endedAt: Date | null;
  createdAt: Date;
  /** null: created by the system */
  createdBy: BlockUserView | null;
  /** null: not ended, or ended by its schedule */
  endedBy: BlockUserView | null;
}

export interface BlockUserView {
  id: string;
  email: string;
  name: string;
}

export const unitBlockSelect = {
  id: true,
  reason: true,
  note: true,
  status: true,
  startsAt: true,
  endsAt: true,
  startedAt: true,
  endedAt: true,
  createdAt: true,
  facility: { select: { code: true, timezone: true } },
  unit: { select: { code: true, unitType: { select: { code: true } } } },
  createdBy: { select: { id: true, email: true, name: true } },
  endedBy: { select: { id: true, email: true, name: true } },
} satisfies Prisma.MaintenanceBlockSelect;

type UnitBlockRow = Prisma.MaintenanceBlockGetPayload<{ select: typeof unitBlockSelect }>;

export function toUnitBlockView(row: UnitBlockRow): UnitBlockView {
  return {
    id: row.id,
    facilityCode: row.facility.code,
    facilityTimezone: row.facility.timezone,
    unitCode: row.unit.code,
    unitTypeCode: row.unit.unitType.code,
    reason: row.reason,
    note: row.note,
    status: row.status,
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    startedAt: row.startedAt,
    endedAt: row.endedAt,
    createdAt: row.createdAt,
    createdBy: row.createdBy,
    endedBy: row.endedBy,
  };
}

export async function loadUnitBlockView(tx: Tx, blockId: string): Promise<UnitBlockView> {
  return toUnitBlockView(await tx.maintenanceBlock.findUniqueOrThrow({ where: { id: blockId }, select: unitBlockSelect }));
}
