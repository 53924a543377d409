import { runReconciliation } from "../../server/domain/reconciliation/run-reconciliation";
import { reconcileConfig } from "../../server/config";
import { systemActor } from "../../server/domain/shared/actor";
import { writeAudit } from "../../server/domain/shared/audit";
import type { PrismaClient } from "../../server/generated/prisma/client";
import type { SeedRefs } from "./steps";

/**
 * Demo drift (issue 6): after the history and its webhook deliveries, faults of the kind partners really cause,
 * and one scheduled reconciliation run over them, so /drift has something to show on
 * first start. Nothing in the operator's own data is bent (the pools stay equal to their
 * units, as the seed promises); the drift is in what partners believe:
 *
 * - PHONEDESK reports availability for a LON-01 pool that disagrees with the pool at the
 *   same inventory_version (its system double-counted a cancellation).
 * - The webhook step before this one delivered the last 48 h through the real dispatcher,
 *   PHONEDESK's endpoint through an outage: inventory.updated deliveries that went dead
 *   leave its acknowledged version behind the pool — found here as missed versions.
 *
 * Both are partner-view drift: the correction is re-announcing the pool (inventory.corrected).
 */

export interface DriftSeedSummary {
  runId: string;
  discrepancies: number;
}

interface PoolRow {
  id: string;
  unit_type_code: string;
  available: number;
  inventory_version: number;
  updated_at: Date;
}

export async function seedDrift(db: PrismaClient, refs: SeedRefs): Promise<DriftSeedSummary | null> {
  const facilityId = refs.facilityIds["LON-01"];
  const phonedesk = refs.partnerIds.PHONEDESK;
  if (!facilityId || !phonedesk) return null;
  const correlationId = `cor_seed_drift_${Date.now()}`;

  // Pools that have moved a few times (the history's busy ones), oldest change first.
  const pools = await db.$queryRaw<PoolRow[]>`
    SELECT p.id, ut.code AS unit_type_code, p.available, p.inventory_version, p.updated_at
    FROM inventory_pools p JOIN unit_types ut ON ut.id = p.unit_type_id
    WHERE p.facility_id = ${facilityId}::uuid AND p.inventory_version >= 3
    ORDER BY p.updated_at, ut.code`;
  if (pools.length < 1) return null;
  const disagreeing = pools[pools.length - 1]!;

  await db.$transaction(async (tx) => {
    // 1. The partner's snapshot: two more free units than the pool has, at the same version.
    await tx.availabilitySnapshot.create({
      data: {
        partnerId: phonedesk,
        facilityId,
        poolId: disagreeing.id,
        available: disagreeing.available + 2,
        inventoryVersion: disagreeing.inventory_version,
        correlationId,
      },
    });
    await writeAudit(tx, systemActor("seed", correlationId), {
      action: "seed.drift",
      targetType: "database",
      facilityId,
      reason: "Demo drift: a partner snapshot that disagrees with the pool",
      metadata: { snapshot_pool: disagreeing.unit_type_code },
    });
  });

  // 3. One scheduled run over them (reporting only: the demo shows them open).
  const config = { ...reconcileConfig(), ackGraceSeconds: 0 };
  const run = await runReconciliation({ trigger: "SCHEDULED", autoCorrect: false, config, correlationId, db });
  return { runId: run.runId, discrepancies: run.discrepancyCount };
}
