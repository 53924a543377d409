import type { Actor } from "./actor";
import type { Tx } from "./tx";
import { unnestFrom, unnestValues, type UnnestColumn } from "./unnest";

/**
 * The one writer of `audit_entries` (docs/conventions.md#transactions-events-and-audit).
 * The table is append-only (a trigger refuses updates and deletes); every entry goes
 * through `writeAudit` (one) or `writeAuditBatch` (many, one statement), and the webhook
 * dispatcher, which has its own `pg` pool, runs the statement `auditInsert` builds. A
 * structure test (append-only-writers.test.ts) refuses any other insert.
 */

export type AuditResult = "SUCCESS" | "DENIED" | "FAILED";

export interface AuditInput {
  action: string;
  targetType: string;
  targetId?: string | null;
  facilityId?: string | null;
  result?: AuditResult;
  reason?: string | null;
  metadata?: Record<string, unknown>;
  /** for the seed's simulated clock (and an attempt's finishing time); defaults to now() */
  at?: Date;
}

/**
 * Who acted, as the log records it: an Actor, or a sign-in attempt by someone not (yet)
 * known, which has no id.
 */
export type AuditActor = Pick<Actor, "type" | "label" | "scopes" | "correlationId" | "ip" | "userAgent"> & { id: string | null };

export interface AuditEntry extends AuditInput {
  actor: AuditActor;
}

/**
 * Each column once: how an entry fills it, and its type. The statement passes one array
 * per column and unnests them, so any number of entries is one statement with a fixed
 * text (and a fixed number of parameters).
 */
const COLUMNS: readonly (UnnestColumn<AuditEntry> & { defaultNow?: true })[] = [
  { name: "actor_type", type: `"ActorType"`, value: (e) => e.actor.type },
  { name: "actor_id", type: "text", value: (e) => e.actor.id },
  { name: "actor_label", type: "text", value: (e) => e.actor.label },
  { name: "action", type: "text", value: (e) => e.action },
  { name: "target_type", type: "text", value: (e) => e.targetType },
  { name: "target_id", type: "text", value: (e) => e.targetId ?? null },
  { name: "facility_id", type: "uuid", value: (e) => e.facilityId ?? null },
  { name: "result", type: `"AuditResult"`, value: (e) => e.result ?? "SUCCESS" },
  { name: "reason", type: "text", value: (e) => e.reason ?? null },
  { name: "ip", type: "text", value: (e) => e.actor.ip ?? null },
  { name: "user_agent", type: "text", value: (e) => e.actor.userAgent ?? null },
  { name: "scope", type: "text", value: (e) => (e.actor.type === "PARTNER" ? e.actor.scopes.join(" ") : null) },
  { name: "correlation_id", type: "text", value: (e) => e.actor.correlationId },
  { name: "metadata", type: "jsonb", value: (e) => JSON.stringify(e.metadata ?? {}) },
  { name: "occurred_at", type: "timestamptz", value: (e) => e.at?.toISOString() ?? null, defaultNow: true },
];

const INSERT_TEXT = `INSERT INTO audit_entries (${COLUMNS.map((c) => c.name).join(", ")})
  SELECT ${COLUMNS.map((c) => (c.defaultNow ? `coalesce(a.${c.name}, now())` : `a.${c.name}`)).join(", ")}
  FROM ${unnestFrom(COLUMNS, "a")}`;

/**
 * The statement that appends `entries`, as text and parameters for any PostgreSQL client:
 * the Prisma client here, the dispatcher's `pg` pool (`client.query(auditInsert(rows))`).
 */
export function auditInsert(entries: readonly AuditEntry[]): { text: string; values: unknown[] } {
  return { text: INSERT_TEXT, values: unnestValues(COLUMNS, entries) };
}

/** Appends entries in the caller's transaction, in one statement. */
export async function writeAuditBatch(tx: Tx, entries: readonly AuditEntry[]): Promise<void> {
  if (!entries.length) return;
  const { text, values } = auditInsert(entries);
  await tx.$executeRawUnsafe(text, ...values);
}

/** Appends one audit entry in the caller's transaction. */
export async function writeAudit(tx: Tx, actor: AuditActor, input: AuditInput): Promise<void> {
  await writeAuditBatch(tx, [{ ...input, actor }]);
}
