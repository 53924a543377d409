import type { Actor } from "./actor";
import type { Tx } from "./tx";

export type AuditResult = "SUCCESS" | "DENIED" | "FAILED";

export interface AuditInput {
  action: string;
  targetType: string;
  targetId?: string | null;
  facilityId?: string | null;
  result?: AuditResult;
  reason?: string | null;
  metadata?: Record<string, unknown>;
}

/** Writes an audit entry in the caller's transaction (entries are append-only). */
export async function writeAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  await tx.auditEntry.create({
    data: {
      actorType: actor.type,
      actorId: actor.id,
      actorLabel: actor.label,
      action: input.action,
      targetType: input.targetType,
      targetId: input.targetId ?? null,
      facilityId: input.facilityId ?? null,
      result: input.result ?? "SUCCESS",
      reason: input.reason ?? null,
      ip: actor.ip ?? null,
      userAgent: actor.userAgent ?? null,
      scope: actor.type === "PARTNER" ? actor.scopes.join(" ") : null,
      correlationId: actor.correlationId,
      metadata: (input.metadata ?? {}) as object,
    },
  });
}
