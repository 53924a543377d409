import { getDb } from "../../db";
import { logger } from "../../observability/logger";
import type { Actor } from "@/server/domain/shared/actor";
import { writeAudit, type AuditResult } from "@/server/domain/shared/audit";
import type { ErrorCode } from "@/server/domain/shared/errors";

/**
 * The one writer of a refused mutation's audit entry, for every transport (console
 * server actions, tRPC mutations, the partner API) and every reason: a missing
 * permission, a target outside the caller's facilities, a business rule.
 *
 * The refused mutation's own transaction has rolled back (its success audit with it), so
 * the entry is written on its own, after the refusal. It never throws: an audit that
 * cannot be written is logged, and the caller still gets its refusal, not a 500.
 *
 * Results:
 *   FORBIDDEN (or a missing `permission`)          → DENIED
 *   NOT_FOUND, and the target exists               → DENIED (outside the caller's scope)
 *   NOT_FOUND, and no such target                  → FAILED
 *   a business rule (HOLD_EXPIRED, INVALID_TRANSITION, INVENTORY_UNAVAILABLE, …) → FAILED
 * Not audited: malformed input (VALIDATION_FAILED: nothing was attempted), no caller
 * (UNAUTHENTICATED), protocol refusals (Idempotency-Key, body size) and "try again"
 * answers (rate limits, contention), which refuse nothing for good.
 */

/** What a refused call was about: the booking, unit or block it tried to change. */
export interface RefusalTarget {
  type: string;
  id?: string | null;
  /** the target's facility, when the caller knows it (else looked up for known types) */
  facilityId?: string | null;
}

export interface Refusal {
  /** the audit action the change is audited under on success, e.g. "booking.cancel" */
  action: string;
  /** the refusal's code, as the caller was answered */
  code: ErrorCode;
  /** the refusal as the caller read it (the problem's detail) */
  detail?: string | null;
  /** a missing permission: the entry targets the permission, naming the attempted target */
  permission?: string | null;
  target?: RefusalTarget | null;
  /** more context for the reader (partner, route, status…); never secrets */
  metadata?: Record<string, unknown>;
}

const NOT_AUDITED: ReadonlySet<ErrorCode> = new Set<ErrorCode>([
  "VALIDATION_FAILED",
  "UNAUTHENTICATED",
  "IDEMPOTENCY_KEY_REQUIRED",
  "IDEMPOTENCY_KEY_REUSED",
  "IDEMPOTENCY_KEY_IN_USE",
  "INVENTORY_HELD_BY_OTHER_TXN",
  "RATE_LIMITED",
  "PAYLOAD_TOO_LARGE",
  "REQUEST_TIMEOUT",
  "INTERNAL",
]);

/** Whether a refusal with this code is audited at all. */
export function isAuditedRefusal(code: ErrorCode): boolean {
  return !NOT_AUDITED.has(code);
}

/** The audit result of a refusal (null: not audited). */
export function refusalResult(code: ErrorCode, targetExists: boolean, permission?: string | null): AuditResult | null {
  if (permission || code === "FORBIDDEN") return "DENIED";
  if (!isAuditedRefusal(code)) return null;
  if (code === "NOT_FOUND") return targetExists ? "DENIED" : "FAILED";
  return "FAILED";
}

/**
 * Writes the refusal's audit entry; returns the result written (null when the code is
 * not audited or the write failed). Never throws.
 */
export async function recordRefusal(actor: Actor, refusal: Refusal): Promise<AuditResult | null> {
  try {
    if (!refusal.permission && !isAuditedRefusal(refusal.code)) return null;
    const located = refusal.target ? await locateTarget(refusal.target) : null;
    const result = refusalResult(refusal.code, located !== null, refusal.permission);
    if (!result) return null;
    const facilityId = refusal.target?.facilityId ?? located?.facilityId ?? null;
    // the target as stored (a booking reference typed in lower case is the same booking)
    const target = refusal.target ? { type: refusal.target.type, id: located?.id ?? refusal.target.id ?? null } : null;

    await writeAudit(getDb(), actor, {
      action: refusal.action,
      ...(refusal.permission
        ? { targetType: "permission", targetId: refusal.permission }
        : { targetType: target?.type ?? "unknown", targetId: target?.id ?? null }),
      facilityId,
      result,
      reason: reasonOf(refusal, result),
      metadata: {
        code: refusal.code,
        ...(refusal.detail ? { detail: refusal.detail } : {}),
        ...(refusal.permission && target ? { attempted_target: target } : {}),
        ...(refusal.metadata ?? {}),
      },
    });
    return result;
  } catch (error) {
    logger.error({ err: error, correlationId: actor.correlationId, action: refusal.action, code: refusal.code }, "could not audit a refused mutation");
    return null;
  }
}

function reasonOf(refusal: Refusal, result: AuditResult): string {
  if (refusal.permission) return `Missing permission ${refusal.permission}`;
  if (refusal.code === "NOT_FOUND" && result === "DENIED") return "Not found within the caller's scope.";
  return refusal.detail ?? refusal.code;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Whether the target exists (whoever may see it), and its facility. A refused NOT_FOUND
 * about something that exists was outside the caller's scope: a denial, not a mistake.
 */
async function locateTarget(target: RefusalTarget): Promise<{ id?: string; facilityId: string | null } | null> {
  const id = target.id;
  if (!id) return null;
  const db = getDb();
  switch (target.type) {
    case "booking":
      return db.booking
        .findUnique({ where: { reference: id.trim().toUpperCase() }, select: { reference: true, facilityId: true } })
        .then((booking) => booking && { id: booking.reference, facilityId: booking.facilityId });
    case "maintenance_block":
      return UUID.test(id) ? db.maintenanceBlock.findUnique({ where: { id }, select: { facilityId: true } }) : null;
    case "unit": {
      // "<facility code>/<unit code>", as the inventory actions name a unit
      const slash = id.indexOf("/");
      if (slash < 0) return null;
      return db.unit.findFirst({
        where: { code: id.slice(slash + 1), facility: { code: id.slice(0, slash) } },
        select: { facilityId: true },
      });
    }
    case "webhook_endpoint":
      // partners' endpoints belong to no facility; a deleted one is gone
      return db.webhookEndpoint
        .findFirst({ where: { id, deletedAt: null }, select: { id: true } })
        .then((found) => found && { facilityId: null });
    default:
      return null;
  }
}
