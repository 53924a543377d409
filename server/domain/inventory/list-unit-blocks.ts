import { z } from "zod";
import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope } from "@/server/domain/shared/facility-scope";
import { notFound } from "@/server/domain/shared/errors";
import { toUnitBlockView, unitBlockSelect, type UnitBlockView } from "./unit-block-view";
import { parseOrRefuse } from "@/server/domain/shared/validation";

const BLOCK_STATUSES = ["SCHEDULED", "ACTIVE", "ENDED", "CANCELLED"] as const;

export const ListUnitBlocksInput = z
  .object({
    facility_code: z.string().trim().min(1).max(32),
    /** only blocks in these states (default: all) */
    status: z.array(z.enum(BLOCK_STATUSES)).max(BLOCK_STATUSES.length).optional(),
    unit_code: z.string().trim().min(1).max(32).optional(),
    limit: z.number().int().min(1).max(500).default(100),
  })
  .strict();
export type ListUnitBlocksInput = z.input<typeof ListUnitBlocksInput>;

/**
 * The maintenance blocks of one facility, newest first: unit, reason, status, times and
 * who created or ended them. The actor's facility scope is part of the query, so a
 * facility outside it is not found.
 */
export async function listUnitBlocks(rawInput: ListUnitBlocksInput, actor: Actor): Promise<UnitBlockView[]> {
  const input = parseOrRefuse(ListUnitBlocksInput, rawInput);
  const db = getDb();
  const facility = await db.facility.findFirst({
    where: { code: input.facility_code, ...facilitiesInScope(actor) },
    select: { id: true },
  });
  if (!facility) throw notFound("Facility", input.facility_code);
  const rows = await db.maintenanceBlock.findMany({
    where: {
      facilityId: facility.id,
      ...(input.status?.length ? { status: { in: input.status } } : {}),
      ...(input.unit_code ? { unit: { code: input.unit_code } } : {}),
    },
    select: unitBlockSelect,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: input.limit,
  });
  return rows.map(toUnitBlockView);
}
