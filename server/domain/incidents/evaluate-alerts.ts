import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { newId } from "@/server/domain/shared/ids";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { ALERT_RULES, severityRank, type AlertRuleName } from "@/shared/alert-rules";
import type { Prisma } from "@/server/generated/prisma/client";
import { recordIncidentChanges, type TimelineChange } from "./incident-timeline";
import { readSignals } from "./read-signals";
import { toConditions, type Condition, type RuleOverride } from "./thresholds";

/**
 * One evaluation of every alert rule (docs/operations.md#alerts-and-incidents), run by the
 * worker every minute (server/jobs/evaluate-alerts.ts) and by the demo seed:
 *
 * - a condition with no incident open for its rule and subject triggers one; the partial
 *   unique index `incidents_one_open_per_subject` makes that one however often it is seen;
 * - a condition whose incident was resolved within the reopen window reopens it;
 * - a changed severity escalates or downgrades the open incident;
 * - an open incident whose condition is gone resolves itself.
 *
 * One transaction, serialised by an advisory lock so two workers never evaluate at once;
 * every change writes its timeline entry and its audit entry in it. Notifications are
 * sent afterwards from the timeline (notify-incidents.ts), never from in here.
 */

/** A resolved incident whose condition returns within this is reopened, not duplicated. */
export const REOPEN_WINDOW_MS = 30 * 60_000;

const EVALUATION_LOCK_KEY = 0x416c_6572_7473n; // "Alerts"

export interface EvaluateAlertsOptions extends ServiceOptions {
  reopenWindowMs?: number;
}

export interface EvaluationResult {
  conditions: number;
  triggered: number;
  reopened: number;
  escalated: number;
  downgraded: number;
  resolved: number;
  open: number;
}

function key(rule: string, subjectType: string, subjectId: string): string {
  return `${rule}\u0000${subjectType}\u0000${subjectId}`;
}

function detailOf(c: Condition): Prisma.InputJsonObject {
  return { ...c.detail, value: c.value, threshold: c.threshold } as Prisma.InputJsonObject;
}

export async function evaluateAlerts(actor: Actor, options: EvaluateAlertsOptions = {}): Promise<EvaluationResult> {
  await authorize(actor, "incident.manage", { target: { type: "incident", id: null } });
  const now = options.now ?? new Date();
  const reopenWindowMs = options.reopenWindowMs ?? REOPEN_WINDOW_MS;
  return inTransaction(options, async (tx) => {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${EVALUATION_LOCK_KEY})`;
    const overrides: RuleOverride[] = await tx.alertRuleOverride.findMany({
      select: { rule: true, scopeType: true, scopeId: true, threshold: true, severity: true, enabled: true },
    });
    const conditions = toConditions(await readSignals(tx, now), overrides);
    const byKey = new Map(conditions.map((c) => [key(c.rule, c.subjectType, c.subjectId), c]));

    const open = await tx.incident.findMany({ where: { status: { not: "RESOLVED" } } });
    const openByKey = new Map(open.map((i) => [key(i.rule, i.subjectType, i.subjectId), i]));
    const result: EvaluationResult = { conditions: conditions.length, triggered: 0, reopened: 0, escalated: 0, downgraded: 0, resolved: 0, open: 0 };
    const changes: TimelineChange[] = [];
    const cleared: string[] = [];
    const seen: { id: string; summary: string; detail: string }[] = [];
    const opened: Prisma.IncidentCreateManyInput[] = [];

    for (const incident of open) {
      const condition = byKey.get(key(incident.rule, incident.subjectType, incident.subjectId));
      if (!condition) {
        cleared.push(incident.id);
        changes.push({ incidentId: incident.id, kind: "RESOLVED", severity: incident.severity, note: "The condition cleared.", facilityId: incident.facilityId, rule: incident.rule, at: now, metadata: { automatic: true } });
        result.resolved++;
        continue;
      }
      if (condition.severity !== incident.severity) {
        const up = severityRank(condition.severity) > severityRank(incident.severity);
        await tx.incident.update({
          where: { id: incident.id },
          data: { severity: condition.severity, summary: condition.summary, detail: detailOf(condition), lastSeenAt: now },
        });
        changes.push({
          incidentId: incident.id,
          kind: up ? "ESCALATED" : "DOWNGRADED",
          severity: condition.severity,
          note: `${incident.severity} → ${condition.severity}: ${condition.summary}`,
          facilityId: incident.facilityId,
          rule: incident.rule,
          at: now,
          metadata: { from: incident.severity },
        });
        if (up) result.escalated++;
        else result.downgraded++;
      } else {
        seen.push({ id: incident.id, summary: condition.summary, detail: JSON.stringify(detailOf(condition)) });
      }
    }
    // The steady state — most open incidents still seen at the same severity, some
    // cleared — is two statements however many incidents are open, not one each.
    if (cleared.length) {
      await tx.$executeRaw`UPDATE incidents SET status = 'RESOLVED', resolved_at = ${now} WHERE id = ANY(${cleared}::text[])`;
    }
    if (seen.length) {
      await tx.$executeRaw`
        UPDATE incidents AS i SET summary = v.summary, detail = v.detail::jsonb, last_seen_at = ${now}
        FROM unnest(${seen.map((r) => r.id)}::text[], ${seen.map((r) => r.summary)}::text[], ${seen.map((r) => r.detail)}::text[]) AS v(id, summary, detail)
        WHERE i.id = v.id`;
    }

    const fresh = conditions.filter((c) => !openByKey.has(key(c.rule, c.subjectType, c.subjectId)));
    const recentlyResolved = fresh.length
      ? await tx.incident.findMany({
          where: {
            status: "RESOLVED",
            resolvedAt: { gte: new Date(now.getTime() - reopenWindowMs) },
            OR: fresh.map((c) => ({ rule: c.rule, subjectType: c.subjectType, subjectId: c.subjectId })),
          },
          orderBy: { resolvedAt: "desc" },
        })
      : [];
    for (const c of fresh) {
      const previous = recentlyResolved.find((i) => i.rule === c.rule && i.subjectType === c.subjectType && i.subjectId === c.subjectId);
      if (previous) {
        await tx.incident.update({
          where: { id: previous.id },
          data: {
            status: "TRIGGERED",
            severity: c.severity,
            summary: c.summary,
            detail: detailOf(c),
            lastSeenAt: now,
            resolvedAt: null,
            acknowledgedAt: null,
            acknowledgedById: null,
            reopenCount: { increment: 1 },
          },
        });
        changes.push({ incidentId: previous.id, kind: "REOPENED", severity: c.severity, note: c.summary, facilityId: previous.facilityId, rule: c.rule, at: now });
        result.reopened++;
        continue;
      }
      const id = newId("inc", now.getTime());
      opened.push({
        id,
        rule: c.rule,
        subjectType: c.subjectType,
        subjectId: c.subjectId,
        subjectLabel: c.subjectLabel,
        facilityId: c.facilityId,
        partnerId: c.partnerId,
        severity: c.severity,
        status: "TRIGGERED",
        summary: c.summary,
        detail: detailOf(c),
        openedAt: now,
        lastSeenAt: now,
      });
      changes.push({ incidentId: id, kind: "TRIGGERED", severity: c.severity, note: c.summary, facilityId: c.facilityId, rule: c.rule, at: now, metadata: { title: ALERT_RULES[c.rule as AlertRuleName].title } });
      result.triggered++;
    }

    if (opened.length) await tx.incident.createMany({ data: opened });
    await recordIncidentChanges(tx, actor, changes);
    result.open = open.length - result.resolved + result.triggered + result.reopened;
    return result;
  });
}

