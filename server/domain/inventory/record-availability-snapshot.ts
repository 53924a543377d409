import { z } from "zod";
import { pgInt } from "@/server/domain/shared/safe-input";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { resolvePool } from "./resolve-pool";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const AvailabilitySnapshotInput = z
  .object({
    facility_code: z.string().min(1).max(32),
    unit_type_code: z.string().min(1).max(32),
    available: z.number().int().min(0).max(100_000),
    inventory_version: pgInt().min(0),
  })
  .strict();
export type AvailabilitySnapshotInput = z.input<typeof AvailabilitySnapshotInput>;

export interface AvailabilitySnapshotView {
  id: string;
  facilityCode: string;
  unitTypeCode: string;
  available: number;
  inventoryVersion: number;
  reportedAt: Date;
  current: { available: number; inventoryVersion: number };
}

/** What a partner believes is available, kept as input for the partner drift check. */
export async function recordAvailabilitySnapshot(
  raw: AvailabilitySnapshotInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<AvailabilitySnapshotView> {
  await authorize(actor, "availability.snapshot");
  const input = parseOrRefuse(AvailabilitySnapshotInput, raw);
  return inTransaction(options, async (tx) => {
  const pool = await resolvePool(tx, input.facility_code, input.unit_type_code, actor);
  const snapshot = await tx.availabilitySnapshot.create({
    data: {
      partnerId: actor.id,
      facilityId: pool.facilityId,
      poolId: pool.poolId,
      available: input.available,
      inventoryVersion: input.inventory_version,
      correlationId: actor.correlationId,
    },
  });
  return {
    id: snapshot.id,
    facilityCode: pool.facilityCode,
    unitTypeCode: pool.unitTypeCode,
    available: snapshot.available,
    inventoryVersion: snapshot.inventoryVersion,
    reportedAt: snapshot.reportedAt,
    current: { available: pool.available, inventoryVersion: pool.inventoryVersion },
  };
  });
}
