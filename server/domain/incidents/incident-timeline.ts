import type { Actor } from "@/server/domain/shared/actor";
import { writeAuditBatch, type AuditEntry } from "@/server/domain/shared/audit";
import type { Tx } from "@/server/domain/shared/tx";
import { enqueueOperationalWebhooks } from "@/server/domain/operational-webhooks/enqueue-operational-webhooks";
import type { Severity } from "@/shared/alert-rules";

/**
 * An incident's timeline (docs/operations.md#alerts-and-incidents): every state change,
 * severity change and note, with who did it. Written in the transaction of the change,
 * beside its audit entry; notifications are sent from the state changes afterwards.
 */

export const TIMELINE_KINDS = ["TRIGGERED", "ESCALATED", "DOWNGRADED", "ACKNOWLEDGED", "RESOLVED", "REOPENED", "NOTE"] as const;
export type TimelineKind = (typeof TIMELINE_KINDS)[number];

/** The kinds that are state changes people are told about (a note is not). */
export const NOTIFIED_KINDS: readonly TimelineKind[] = ["TRIGGERED", "ESCALATED", "DOWNGRADED", "ACKNOWLEDGED", "RESOLVED", "REOPENED"];

export interface TimelineChange {
  incidentId: string;
  kind: TimelineKind;
  severity: Severity;
  note?: string | null;
  facilityId: string | null;
  rule: string;
  at: Date;
  metadata?: Record<string, unknown>;
}

/** Appends the changes to the timeline and the audit log, in the caller's transaction. */
export async function recordIncidentChanges(tx: Tx, actor: Actor, changes: readonly TimelineChange[]): Promise<void> {
  if (!changes.length) return;
  const entries = await tx.incidentTimelineEntry.createManyAndReturn({
    select: { id: true },
    data: changes.map((c) => ({
      incidentId: c.incidentId,
      at: c.at,
      kind: c.kind,
      actorId: actor.type === "USER" ? actor.id : null,
      actorLabel: actor.label,
      severity: c.severity,
      note: c.note ?? null,
    })),
  });
  // Ids are drawn in the order of the rows; operational webhooks are enqueued with the
  // change and sent after commit (docs/operations.md#operational-webhooks).
  const ids = entries.map((e) => e.id).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  await enqueueOperationalWebhooks(tx, actor, changes.map((c, i) => ({ ...c, entryId: ids[i]! })));
  await writeAuditBatch(
    tx,
    changes.map(
      (c): AuditEntry => ({
        actor,
        action: `incident.${c.kind.toLowerCase()}`,
        targetType: "incident",
        targetId: c.incidentId,
        facilityId: c.facilityId,
        reason: c.note ?? null,
        metadata: { rule: c.rule, severity: c.severity, ...c.metadata },
        at: c.at,
      }),
    ),
  );
}
