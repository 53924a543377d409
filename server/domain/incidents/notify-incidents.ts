import { config } from "@/server/config";
import { getDb } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { Prisma } from "@/server/generated/prisma/client";
import { logger } from "@/server/observability/logger";
import { ALERT_RULES, SEVERITIES, isAlertRuleName, runbookPath, severityRank, subjectHref, type Severity } from "@/shared/alert-rules";
import { can, type Role } from "@/shared/permissions";
import { NOTIFIED_KINDS } from "./incident-timeline";
import { configuredMailer, type Mailer } from "./mail-transport";

/**
 * Notifications of incident state changes (docs/operations.md#incident-notifications),
 * sent after the evaluation committed, never inside a transaction:
 *
 * - each recipient (a user who opted in to e-mail from a severity up, the Slack-compatible
 *   webhook) has a cursor: the newest timeline entry it was told about. What lies past
 *   it is told once, all of it in one message (grouping);
 * - a recipient told less than the minimum interval ago waits; what changes meanwhile is
 *   grouped into the next message;
 * - the cursor is claimed (a guarded update) before sending, so two workers never send the
 *   same message; a failed send puts it back, and the next run tries again.
 */

export interface NotifyOptions {
  now?: Date;
  minIntervalMs?: number;
  mailer?: Mailer | null;
  slackWebhookUrl?: string | null;
  consoleUrl?: string;
}

export interface NotifyResult {
  messages: number;
  deferred: number;
  failed: number;
}

interface PendingEntry {
  id: bigint;
  at: Date;
  kind: string;
  actor_label: string;
  severity: Severity;
  note: string | null;
  incident_id: string;
  rule: string;
  subject_id: string;
  subject_label: string;
  summary: string;
  detail: Record<string, unknown>;
}

interface Recipient {
  channel: "email" | "slack";
  address: string;
  minSeverity: Severity;
  /** null: every facility */
  facilityIds: string[] | null;
}

/** With no cursor yet, a recipient is told of what changed within this. */
const FIRST_LOOK_BACK_MS = 60 * 60_000;
const MAX_ENTRIES_PER_MESSAGE = 50;

function consoleBase(): string {
  const { urls } = config();
  return (urls.public || urls.nextAuth || `http://localhost:${urls.port || 3000}`).replace(/\/+$/, "");
}

async function recipients(slackWebhookUrl: string | null): Promise<Recipient[]> {
  const users = await getDb().user.findMany({
    where: { active: true, incidentEmailMinSeverity: { not: null } },
    select: { email: true, role: true, incidentEmailMinSeverity: true, facilities: { select: { facilityId: true } } },
    orderBy: { email: "asc" },
  });
  const out: Recipient[] = users
    .filter((u) => can({ role: u.role as Role, facilityIds: [] }, "incident.read"))
    .map((u) => ({
      channel: "email",
      address: u.email,
      minSeverity: u.incidentEmailMinSeverity!,
      facilityIds: u.role === "SITE_MANAGER" ? u.facilities.map((f) => f.facilityId) : null,
    }));
  if (slackWebhookUrl) out.push({ channel: "slack", address: slackWebhookUrl, minSeverity: config().alerts.slackMinSeverity, facilityIds: null });
  return out;
}

async function pendingFor(r: Recipient, after: bigint | null, now: Date): Promise<PendingEntry[]> {
  const severities = SEVERITIES.filter((s) => severityRank(s) >= severityRank(r.minSeverity));
  const since = after === null ? Prisma.sql`AND t.at >= ${new Date(now.getTime() - FIRST_LOOK_BACK_MS)}::timestamptz` : Prisma.sql`AND t.id > ${after}`;
  const scope = r.facilityIds === null ? Prisma.empty : Prisma.sql`AND i.facility_id = ANY(${r.facilityIds}::uuid[])`;
  return getDb().$queryRaw<PendingEntry[]>`
    SELECT t.id, t.at, t.kind, t.actor_label, t.severity::text AS severity, t.note,
           i.id AS incident_id, i.rule, i.subject_id, i.subject_label, i.summary, i.detail
    FROM incident_timeline t JOIN incidents i ON i.id = t.incident_id
    WHERE t.kind = ANY(${[...NOTIFIED_KINDS]}::text[]) AND t.severity::text = ANY(${severities}::text[])
      ${since} ${scope}
    ORDER BY t.id LIMIT ${MAX_ENTRIES_PER_MESSAGE}`;
}

function titleOf(rule: string): string {
  return isAlertRuleName(rule) ? ALERT_RULES[rule].title : rule;
}

function describe(entries: readonly PendingEntry[], base: string): { subject: string; text: string } {
  const first = entries[0]!;
  const subject =
    entries.length === 1
      ? `[Holdfast] ${first.severity} ${first.kind.toLowerCase()}: ${titleOf(first.rule)} — ${first.subject_label}`
      : `[Holdfast] ${entries.length} incident changes (${entries.filter((e) => e.kind === "TRIGGERED" || e.kind === "REOPENED" || e.kind === "ESCALATED").length} need attention)`;
  const blocks = entries.map((e) => {
    const link = subjectHref(e.rule, e.subject_id, e.detail as { facilityCode?: string; runId?: string });
    return [
      `${e.kind} · ${e.severity} · ${titleOf(e.rule)} — ${e.subject_label}`,
      `  ${e.note ?? e.summary}`,
      `  by ${e.actor_label} at ${e.at.toISOString()}`,
      `  Incident: ${base}/incidents/${e.incident_id}`,
      ...(link ? [`  Subject: ${base}${link}`] : []),
      ...(isAlertRuleName(e.rule) ? [`  What to do: ${runbookPath(e.rule)}`] : []),
    ].join("\n");
  });
  return { subject, text: `${blocks.join("\n\n")}\n\nYou get these because you opted in to incident e-mail on /incidents.\n` };
}

async function claim(r: Recipient, cursor: { lastEntryId: bigint; lastSentAt: Date | null } | null, to: bigint, now: Date): Promise<boolean> {
  if (!cursor) {
    const inserted = await getDb().$executeRaw`
      INSERT INTO notification_cursors (channel, recipient, last_entry_id, last_sent_at)
      VALUES (${r.channel}, ${r.address}, ${to}, ${now}::timestamptz) ON CONFLICT DO NOTHING`;
    return inserted === 1;
  }
  const updated = await getDb().$executeRaw`
    UPDATE notification_cursors SET last_entry_id = ${to}, last_sent_at = ${now}::timestamptz
    WHERE channel = ${r.channel} AND recipient = ${r.address} AND last_entry_id = ${cursor.lastEntryId}`;
  return updated === 1;
}

async function unclaim(r: Recipient, cursor: { lastEntryId: bigint; lastSentAt: Date | null } | null, to: bigint): Promise<void> {
  if (!cursor) {
    await getDb().$executeRaw`DELETE FROM notification_cursors WHERE channel = ${r.channel} AND recipient = ${r.address} AND last_entry_id = ${to}`;
    return;
  }
  await getDb().$executeRaw`
    UPDATE notification_cursors SET last_entry_id = ${cursor.lastEntryId}, last_sent_at = ${cursor.lastSentAt}::timestamptz
    WHERE channel = ${r.channel} AND recipient = ${r.address} AND last_entry_id = ${to}`;
}

async function postSlack(url: string, text: string): Promise<void> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ text }),
    signal: AbortSignal.timeout(10_000),
  });
  if (!response.ok) throw new Error(`The Slack webhook answered ${response.status}.`);
}

export async function notifyIncidents(actor: Actor, options: NotifyOptions = {}): Promise<NotifyResult> {
  await authorize(actor, "incident.manage", { target: { type: "incident", id: null } });
  const now = options.now ?? new Date();
  const minIntervalMs = options.minIntervalMs ?? config().alerts.notifyIntervalMs;
  const mailer = options.mailer === undefined ? configuredMailer() : options.mailer;
  const slackUrl = options.slackWebhookUrl === undefined ? (config().alerts.slackWebhookUrl ?? null) : options.slackWebhookUrl;
  const base = options.consoleUrl ?? consoleBase();
  const result: NotifyResult = { messages: 0, deferred: 0, failed: 0 };

  for (const r of await recipients(slackUrl)) {
    if (r.channel === "email" && !mailer) continue;
    const cursor = await getDb().notificationCursor.findUnique({
      where: { channel_recipient: { channel: r.channel, recipient: r.address } },
      select: { lastEntryId: true, lastSentAt: true },
    });
    const pending = await pendingFor(r, cursor?.lastEntryId ?? null, now);
    if (!pending.length) continue;
    if (cursor?.lastSentAt && now.getTime() - cursor.lastSentAt.getTime() < minIntervalMs) {
      result.deferred++;
      continue;
    }
    const to = pending[pending.length - 1]!.id;
    if (!(await claim(r, cursor, to, now))) continue;
    const message = describe(pending, base);
    try {
      if (r.channel === "email") await mailer!.send({ to: [r.address], ...message });
      else await postSlack(r.address, `*${message.subject}*\n${message.text}`);
      result.messages++;
    } catch (error) {
      result.failed++;
      logger.warn({ err: error, channel: r.channel, correlationId: actor.correlationId }, "incident notification failed; it is retried on the next run");
      await unclaim(r, cursor, to);
    }
  }
  return result;
}
