import { runReconciliation } from "../../server/domain/reconciliation/run-reconciliation";
import { parseReconcileConfig } from "../../server/domain/reconciliation/config";
import { systemActor } from "../../server/domain/shared/actor";
import { writeAudit } from "../../server/domain/shared/audit";
import { newId } from "../../server/domain/shared/ids";
import { encryptSecret } from "../../server/domain/shared/secrets";
import { generateEndpointSecret } from "../../server/domain/webhooks/signing";
import type { PrismaClient } from "../../server/generated/prisma/client";
import type { SeedRefs } from "./steps";

/**
 * Demo drift (issue 6): after the history, two faults of the kind partners really cause,
 * and one scheduled reconciliation run over them, so /drift has something to show on
 * first start. Nothing in the operator's own data is bent (the pools stay equal to their
 * units, as the seed promises); the drift is in what partners believe:
 *
 * - PHONEDESK reports availability for a LON-01 pool that disagrees with the pool at the
 *   same inventory_version (its system double-counted a cancellation).
 * - WEBSITE's webhook endpoint (pointing at the in-app demo receiver) acknowledged every
 *   LON-01 pool up to date, except one where two inventory.updated deliveries went dead
 *   while it was down: its acknowledged version is two behind.
 *
 * Both are partner-view drift: the correction is re-announcing the pool (inventory.corrected).
 */

export const DRIFT_STEP_NAME = "drift";

export interface DriftSeedSummary {
  runId: string;
  discrepancies: number;
  endpointId: string;
}

interface PoolRow {
  id: string;
  unit_type_code: string;
  available: number;
  inventory_version: number;
  updated_at: Date;
}

export async function seedDrift(db: PrismaClient, refs: SeedRefs, options: { port?: string | number } = {}): Promise<DriftSeedSummary | null> {
  const facilityId = refs.facilityIds["LON-01"];
  const phonedesk = refs.partnerIds.PHONEDESK;
  const website = refs.partnerIds.WEBSITE;
  if (!facilityId || !phonedesk || !website) return null;
  const correlationId = `cor_seed_drift_${Date.now()}`;

  // Pools that have moved a few times (the history's busy ones), oldest change first.
  const pools = await db.$queryRaw<PoolRow[]>`
    SELECT p.id, ut.code AS unit_type_code, p.available, p.inventory_version, p.updated_at
    FROM inventory_pools p JOIN unit_types ut ON ut.id = p.unit_type_id
    WHERE p.facility_id = ${facilityId}::uuid AND p.inventory_version >= 3
    ORDER BY p.updated_at, ut.code`;
  if (pools.length < 2) return null;
  const [missed, disagreeing] = [pools[0]!, pools[pools.length - 1]!];

  const port = options.port ?? process.env.PORT ?? 3000;
  const endpointId = newId("ep");
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
    // 2. The endpoint and what it acknowledged; v(n-1) and v(n) of one pool went dead.
    await tx.webhookEndpoint.create({
      data: {
        id: endpointId,
        partnerId: website,
        url: `http://localhost:${port}/api/demo-receiver/WEBSITE`,
        description: "Website inventory sync (demo)",
        eventTypes: ["inventory.updated", "inventory.corrected"],
        secretCiphertext: encryptSecret(generateEndpointSecret()),
      },
    });
    await tx.endpointPoolAck.createMany({
      data: pools.map((p) => ({
        endpointId,
        poolId: p.id,
        ackedVersion: p.id === missed.id ? p.inventory_version - 2 : p.inventory_version,
        ackedAt: p.updated_at,
      })),
    });
    const lost = await tx.event.findMany({
      where: { aggregateType: "pool", aggregateId: missed.id, type: "inventory.updated", aggregateVersion: { gt: missed.inventory_version - 2 } },
      select: { id: true, createdAt: true },
    });
    await tx.webhookDelivery.createMany({
      data: lost.map((e) => ({
        id: newId("msg"),
        endpointId,
        eventId: e.id,
        status: "DEAD" as const,
        attemptCount: 8,
        lastStatus: 503,
        lastAttemptAt: e.createdAt,
        deadAt: e.createdAt,
        createdAt: e.createdAt,
      })),
    });
    await writeAudit(tx, systemActor("seed", correlationId), {
      action: "seed.drift",
      targetType: "database",
      facilityId,
      reason: "Demo drift: a disagreeing partner snapshot and an endpoint behind on one pool",
      metadata: { snapshot_pool: disagreeing.unit_type_code, missed_pool: missed.unit_type_code, endpoint_id: endpointId },
    });
  });

  // 3. One scheduled run over them (reporting only: the demo shows them open).
  const config = { ...parseReconcileConfig(process.env), ackGraceSeconds: 0 };
  const run = await runReconciliation({ trigger: "SCHEDULED", autoCorrect: false, config, correlationId, db });
  return { runId: run.runId, discrepancies: run.discrepancyCount, endpointId };
}
