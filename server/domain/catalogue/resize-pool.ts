import { Prisma } from "../../generated/prisma/client";
import { DomainError } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import { updatePoolWithEvent, type PoolSnapshot } from "../inventory/unit-transition";

/**
 * A pool gains or loses AVAILABLE units (docs/domain.md#catalogue): units added (one, or
 * an import's batch), retired or moved to another type. `total` and `available` move together by `delta`,
 * `inventory_version` +1, and the pool's `inventory.updated` event carrying the new
 * counters — one statement in the caller's transaction, through the same writer as a
 * unit's transition (updatePoolWithEvent, docs/domain.md#inventory-counters-and-versions). The caller holds the
 * unit's row lock (lock order: unit → pool).
 */
export async function resizePool(
  tx: Tx,
  change: { poolId: string; delta: number; correlationId: string; cause: string; now?: Date },
): Promise<PoolSnapshot> {
  const at = change.now ?? new Date();
  const pool = await updatePoolWithEvent(
    tx,
    Prisma.sql`updated AS (
      UPDATE inventory_pools
      SET total = total + ${change.delta}::int, available = available + ${change.delta}::int,
          inventory_version = inventory_version + 1, updated_at = ${at}
      WHERE id = ${change.poolId}::uuid
      RETURNING *
    )`,
    change,
  );
  if (!pool) throw new DomainError("NOT_FOUND", `Pool ${change.poolId} was not found.`);
  return pool;
}
