import { config } from "@/server/config";
import { getDb } from "@/server/db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { logger } from "@/server/observability/logger";
import { configuredMailer, type Mailer, type MailMessage } from "./mail-transport";

/**
 * A partner's technical contact is told when its webhook endpoint starts failing and when
 * it is disabled, with what to do (docs/operations.md#partner-technical-contact), as Svix
 * tells its customers:
 *
 * - what counts is the endpoint_failing and endpoint_disabled incidents' TRIGGERED and
 *   REOPENED timeline entries, so a state change is told once however often the
 *   evaluation sees it, and an endpoint that recovers and fails again is told again;
 * - one message per entry (failing and disabled are different news), to the partner's
 *   `technical_contact_email`; a partner without one is not told;
 * - one cursor per partner (notification_cursors, channel `partner_contact`), claimed by a
 *   guarded update before sending, so two workers never send the same mail; a failed send
 *   puts it back and the next run retries. Sent after the evaluation committed, never
 *   inside a transaction.
 */

export const PARTNER_CONTACT_CHANNEL = "partner_contact";
const PARTNER_CONTACT_RULES = ["endpoint_failing", "endpoint_disabled"];
const TOLD_KINDS = ["TRIGGERED", "REOPENED"];
/** With no cursor yet, a contact is told of what happened within this. */
const FIRST_LOOK_BACK_MS = 60 * 60_000;

export interface NotifyPartnerContactsOptions {
  now?: Date;
  mailer?: Mailer | null;
  /** where partners read the API and webhook docs; the deployment's public URL by default */
  publicUrl?: string;
}

export interface NotifyPartnerContactsResult {
  messages: number;
  failed: number;
}

interface PendingEntry {
  id: bigint;
  at: Date;
  kind: string;
  rule: string;
  endpoint_id: string;
  partner_id: string;
  partner_code: string;
  partner_name: string;
  contact: string;
  cursor: bigint | null;
  cursor_sent_at: Date | null;
}

interface EndpointState {
  url: string;
  status: string;
  disabled_reason: string | null;
  disabled_at: Date | null;
  failing_since: Date | null;
  consecutive_failures: number;
  last_success_at: Date | null;
  last_attempt_at: Date | null;
  last_status: number | null;
  last_failure_class: string | null;
  last_error: string | null;
}

function publicBase(): string {
  const { urls } = config();
  return (urls.public || urls.nextAuth || `http://localhost:${urls.port || 3000}`).replace(/\/+$/, "");
}

async function endpointState(endpointId: string): Promise<EndpointState | null> {
  const [row] = await getDb().$queryRaw<EndpointState[]>`
    SELECT ep.url, ep.status::text AS status, ep.disabled_reason, ep.disabled_at, ep.failing_since, ep.consecutive_failures,
           ep.last_success_at, a.started_at AS last_attempt_at, a.response_status AS last_status,
           a.failure_class::text AS last_failure_class, a.error_message AS last_error
    FROM webhook_endpoints ep
    LEFT JOIN LATERAL (
      SELECT started_at, response_status, failure_class, error_message FROM webhook_attempts
      WHERE endpoint_id = ep.id AND failure_class IS NOT NULL
      ORDER BY started_at DESC LIMIT 1
    ) a ON true
    WHERE ep.id = ${endpointId}`;
  return row ?? null;
}

function lastError(e: EndpointState): string {
  if (!e.last_attempt_at) return "no failed attempt recorded";
  const what = e.last_status !== null ? `HTTP ${e.last_status}` : (e.last_failure_class ?? "failed");
  return `${what}${e.last_error ? ` (${e.last_error})` : ""} at ${e.last_attempt_at.toISOString()}`;
}

/** The e-mail: which endpoint, since when, the last error, what to do, where the docs are. */
export function partnerContactMessage(entry: PendingEntry, e: EndpointState, base: string): MailMessage {
  const disabled = entry.rule === "endpoint_disabled";
  const since = disabled ? (e.disabled_at ?? entry.at) : (e.failing_since ?? entry.at);
  const subject = disabled
    ? `[Holdfast] Your webhook endpoint was disabled: ${e.url}`
    : `[Holdfast] Your webhook endpoint is failing: ${e.url}`;
  const lines = [
    `Hello ${entry.partner_name},`,
    "",
    disabled
      ? `Holdfast has disabled your webhook endpoint and stopped sending events to it.`
      : `Holdfast's deliveries to your webhook endpoint are failing. We keep retrying with back-off; nothing is lost yet.`,
    "",
    `Endpoint:        ${e.url}`,
    `Endpoint id:     ${entry.endpoint_id}`,
    `Partner:         ${entry.partner_code}`,
    `${disabled ? "Disabled since:" : "Failing since: "}  ${since.toISOString()}`,
    ...(disabled && e.disabled_reason ? [`Reason:          ${e.disabled_reason}`] : []),
    `Failures in a row: ${e.consecutive_failures}`,
    `Last error:      ${lastError(e)}`,
    `Last success:    ${e.last_success_at ? e.last_success_at.toISOString() : "none recorded"}`,
    "",
    "What to do:",
    "  1. Check that the endpoint is reachable from the internet and answers 2xx within the timeout.",
    "  2. Check that it verifies signatures with the current signing secret (a rotated secret you have not deployed fails every request).",
    ...(disabled
      ? [
          "  3. Once it answers again, reply to this e-mail and we enable it: its parked deliveries resume. Events that happened",
          "     while it was disabled are not sent; read them from the event feed (GET /api/v1/events) from your last processed event.",
        ]
      : [
          "  3. Once it answers again, deliveries resume by themselves. If it keeps failing, the endpoint is disabled and you will hear from us again.",
        ]),
    "",
    `Docs: ${base}/api-docs (webhooks: retries, dead letters, automatic disabling, replay and the event feed)`,
    "",
    "You get this as the technical contact Holdfast has on file for your partner account.",
    "",
  ];
  return { to: [entry.contact], subject, text: lines.join("\n") };
}

async function claim(entry: PendingEntry, now: Date): Promise<boolean> {
  if (entry.cursor === null) {
    const inserted = await getDb().$executeRaw`
      INSERT INTO notification_cursors (channel, recipient, last_entry_id, last_sent_at)
      VALUES (${PARTNER_CONTACT_CHANNEL}, ${entry.partner_id}, ${entry.id}, ${now}::timestamptz) ON CONFLICT DO NOTHING`;
    return inserted === 1;
  }
  const updated = await getDb().$executeRaw`
    UPDATE notification_cursors SET last_entry_id = ${entry.id}, last_sent_at = ${now}::timestamptz
    WHERE channel = ${PARTNER_CONTACT_CHANNEL} AND recipient = ${entry.partner_id} AND last_entry_id = ${entry.cursor}`;
  return updated === 1;
}

async function unclaim(entry: PendingEntry): Promise<void> {
  if (entry.cursor === null) {
    await getDb().$executeRaw`
      DELETE FROM notification_cursors WHERE channel = ${PARTNER_CONTACT_CHANNEL} AND recipient = ${entry.partner_id} AND last_entry_id = ${entry.id}`;
    return;
  }
  await getDb().$executeRaw`
    UPDATE notification_cursors SET last_entry_id = ${entry.cursor}, last_sent_at = ${entry.cursor_sent_at}::timestamptz
    WHERE channel = ${PARTNER_CONTACT_CHANNEL} AND recipient = ${entry.partner_id} AND last_entry_id = ${entry.id}`;
}

export async function notifyPartnerContacts(actor: Actor, options: NotifyPartnerContactsOptions = {}): Promise<NotifyPartnerContactsResult> {
  await authorize(actor, "incident.manage", { target: { type: "incident", id: null } });
  const now = options.now ?? new Date();
  const mailer = options.mailer === undefined ? configuredMailer() : options.mailer;
  const result: NotifyPartnerContactsResult = { messages: 0, failed: 0 };
  if (!mailer) return result;
  const base = options.publicUrl ?? publicBase();
  const lookBack = new Date(now.getTime() - FIRST_LOOK_BACK_MS);

  const pending = await getDb().$queryRaw<PendingEntry[]>`
    SELECT t.id, t.at, t.kind, i.rule, i.subject_id AS endpoint_id, p.id::text AS partner_id, p.code AS partner_code,
           p.name AS partner_name, p.technical_contact_email AS contact, c.last_entry_id AS cursor, c.last_sent_at AS cursor_sent_at
    FROM incident_timeline t
    JOIN incidents i ON i.id = t.incident_id
    JOIN partners p ON p.id = i.partner_id
    LEFT JOIN notification_cursors c ON c.channel = ${PARTNER_CONTACT_CHANNEL} AND c.recipient = p.id::text
    WHERE p.technical_contact_email IS NOT NULL AND p.active
      AND i.rule = ANY(${PARTNER_CONTACT_RULES}::text[]) AND i.subject_type = 'endpoint' AND t.kind = ANY(${TOLD_KINDS}::text[])
      AND (CASE WHEN c.last_entry_id IS NULL THEN t.at >= ${lookBack}::timestamptz ELSE t.id > c.last_entry_id END)
    ORDER BY t.id`;

  // In order per partner; the cursor moves entry by entry, and a failure stops that partner.
  const stopped = new Set<string>();
  const cursors = new Map<string, { cursor: bigint | null; sentAt: Date | null }>();
  for (const raw of pending) {
    if (stopped.has(raw.partner_id)) continue;
    const known = cursors.get(raw.partner_id);
    const entry: PendingEntry = known ? { ...raw, cursor: known.cursor, cursor_sent_at: known.sentAt } : raw;
    const endpoint = await endpointState(entry.endpoint_id);
    if (!(await claim(entry, now))) {
      stopped.add(entry.partner_id); // another worker has it
      continue;
    }
    cursors.set(entry.partner_id, { cursor: entry.id, sentAt: now });
    if (!endpoint) continue; // deleted since: nothing to tell
    try {
      await mailer.send(partnerContactMessage(entry, endpoint, base));
      result.messages++;
    } catch (error) {
      result.failed++;
      stopped.add(entry.partner_id);
      logger.warn({ err: error, partnerId: entry.partner_id, correlationId: actor.correlationId }, "partner contact e-mail failed; it is retried on the next run");
      await unclaim(entry);
    }
  }
  return result;
}
