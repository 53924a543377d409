import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction } from "@/server/domain/shared/transaction";
import type { Tx } from "@/server/domain/shared/tx";

/**
 * Disabling and enabling an endpoint, shared by the services (people) and the dispatcher
 * (410 Gone, failing for too long). A disabled or deleted endpoint's pending deliveries
 * are parked (next_attempt_at NULL: not due, not in the claim index) and keep their place
 * in the retry schedule; enabling makes them due again. The fan-out creates no
 * deliveries for an endpoint while it is disabled.
 */

export async function parkDeliveries(tx: Tx, endpointId: string): Promise<number> {
  return tx.$executeRaw`
    UPDATE webhook_deliveries SET next_attempt_at = NULL
    WHERE endpoint_id = ${endpointId} AND status IN ('PENDING', 'RETRYING') AND next_attempt_at IS NOT NULL`;
}

/** Due now — or, for one still leased by an attempt in flight, when that lease ends. */
async function unparkDeliveries(tx: Tx, endpointId: string, now: Date): Promise<number> {
  return tx.$executeRaw`
    UPDATE webhook_deliveries SET next_attempt_at = greatest(${now}::timestamptz, coalesce(locked_until, ${now}::timestamptz))
    WHERE endpoint_id = ${endpointId} AND status IN ('PENDING', 'RETRYING') AND next_attempt_at IS NULL`;
}

/** Disables an ACTIVE endpoint (false when it was not active) and parks its deliveries. */
export async function disableEndpointRow(tx: Tx, endpointId: string, reason: string, now: Date): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE webhook_endpoints SET status = 'DISABLED', disabled_reason = ${reason}, disabled_at = ${now}
    WHERE id = ${endpointId} AND status = 'ACTIVE' AND deleted_at IS NULL`;
  if (!changed) return false;
  await parkDeliveries(tx, endpointId);
  return true;
}

/** Enables a DISABLED endpoint with a clean failure record (false when it was not disabled). */
export async function enableEndpointRow(tx: Tx, endpointId: string, now: Date): Promise<boolean> {
  const changed = await tx.$executeRaw`
    UPDATE webhook_endpoints
    SET status = 'ACTIVE', disabled_reason = NULL, disabled_at = NULL, consecutive_failures = 0, failing_since = NULL,
        throttled_until = NULL
    WHERE id = ${endpointId} AND status = 'DISABLED' AND deleted_at IS NULL`;
  if (!changed) return false;
  await unparkDeliveries(tx, endpointId, now);
  return true;
}

/** The dispatcher's own decision to disable (410 Gone, failing too long), audited as the system. */
export async function disableEndpointAutomatically(
  endpointId: string,
  reason: string,
  cause: "gone" | "failing",
  actor: Actor,
  now: Date,
): Promise<boolean> {
  return inTransaction({}, async (tx) => {
    const disabled = await disableEndpointRow(tx, endpointId, reason, now);
    if (disabled) {
      await writeAudit(tx, actor, {
        action: "webhook_endpoint.disable",
        targetType: "webhook_endpoint",
        targetId: endpointId,
        reason,
        metadata: { automatic: true, cause },
      });
    }
    return disabled;
  });
}
