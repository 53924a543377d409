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
  /** for the seed's simulated clock; defaults to now() */
  at?: Date;
}

/** Writes an audit entry in the caller's transaction (entries are append-only). */
export async function writeAudit(tx: Tx, actor: Actor, input: AuditInput): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, facility_id, result,
                               reason, ip, user_agent, scope, correlation_id, metadata, occurred_at)
    VALUES (${actor.type}::"ActorType", ${actor.id}, ${actor.label}, ${input.action}, ${input.targetType},
            ${input.targetId ?? null}, ${input.facilityId ?? null}::uuid, ${input.result ?? "SUCCESS"}::"AuditResult",
            ${input.reason ?? null}, ${actor.ip ?? null}, ${actor.userAgent ?? null},
            ${actor.type === "PARTNER" ? actor.scopes.join(" ") : null}, ${actor.correlationId},
            ${JSON.stringify(input.metadata ?? {})}::jsonb, coalesce(${input.at ?? null}::timestamptz, now()))`;
}
