import type { Tx } from "@/server/domain/shared/tx";
import { LIVE_GRANT_STATUSES } from "./access-grants";

/**
 * Revokes a booking's live grants (ACTIVE or SUSPENDED) with a reason, in the caller's
 * transaction, which holds the booking's lock; returns their ids for the access.revoked
 * events the caller writes at the booking's new version (docs/domain.md#gate-codes).
 */
export async function revokeLiveGrants(tx: Tx, bookingId: string, reason: string, now: Date): Promise<string[]> {
  const grants = await tx.accessGrant.findMany({
    where: { bookingId, status: { in: [...LIVE_GRANT_STATUSES] } },
    select: { id: true },
  });
  if (grants.length) {
    await tx.accessGrant.updateMany({
      where: { id: { in: grants.map((g) => g.id) } },
      data: { status: "REVOKED", revokedAt: now, revokeReason: reason },
    });
  }
  return grants.map((g) => g.id);
}
