import { z } from "zod";
import { pgDate } from "@/server/domain/shared/safe-input";
import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { decodeAuditCursor, encodeAuditCursor, type AuditCursor } from "./audit-cursor";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * The audit log's read side: who did what, to what, with which result — filtered,
 * newest first, in keyset pages. The actor's facility scope is part of the query: a
 * site manager sees only entries recorded against their facilities.
 *
 * Targets are written with whatever identifier their service had at hand (a booking's
 * reference, a block's or a partner's id, a unit as "LON-01/B-114"); the query resolves each to the business
 * identifiers a person recognises and the console links by (facility and unit code,
 * partner code, a user's email, a discrepancy's run).
 */

const AUDIT_ACTOR_TYPES = ["USER", "PARTNER", "SYSTEM", "PAYMENT_PROVIDER"] as const;
const AUDIT_RESULTS = ["SUCCESS", "DENIED", "FAILED"] as const;

const AUDIT_PAGE_SIZE = 50;
/** Rows one CSV export may hold; the console says when a filter matches more. */
const AUDIT_EXPORT_LIMIT = 10_000;

const text = (max: number) => z.string().trim().min(1).max(max);

export const AuditFilter = z
  .object({
    /** free text: part of the actor's label (email, partner code, job), or an exact target id, correlation id or action */
    q: text(200).optional(),
    actorType: z.enum(AUDIT_ACTOR_TYPES).optional(),
    /** part of the actor's label: an email, a partner code, a job name */
    actor: text(200).optional(),
    /** an exact action ("booking.cancel"), or every action of an area ("booking.*") */
    action: text(100)
      .regex(/^[a-z0-9_.-]+(\.\*)?$/i, "An action is like booking.cancel, or booking.* for all of an area.")
      .optional(),
    targetType: text(64)
      .regex(/^[a-z0-9_]+$/i, "A target type is like booking or maintenance_block.")
      .optional(),
    targetId: text(200).optional(),
    result: z.enum(AUDIT_RESULTS).optional(),
    facilityCode: text(32)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "A facility code is letters, digits and dashes, e.g. LON-01.")
      .transform((code) => code.toUpperCase())
      .optional(),
    correlationId: text(200).optional(),
    from: pgDate().optional(),
    /** exclusive */
    to: pgDate().optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from < f.to, { message: "`from` must be before `to`", path: ["to"] });

export type AuditFilter = z.output<typeof AuditFilter>;

export const ListAuditEntriesInput = z
  .object({
    filter: AuditFilter.default({}),
    /** the `nextCursor` of the previous page */
    cursor: z.string().max(100).nullish(),
    limit: z.number().int().min(1).max(200).default(AUDIT_PAGE_SIZE),
    /** what TanStack's infinite queries send along; pages only go older */
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .strict();
export type ListAuditEntriesInput = z.input<typeof ListAuditEntriesInput>;

/** What an entry's target resolves to; fields are null when they do not apply or the record is gone. */
export interface AuditTargetRef {
  facilityCode: string | null;
  unitCode: string | null;
  unitTypeCode: string | null;
  partnerCode: string | null;
  /** a person-readable name: a user's email, an API key's prefix, an endpoint's URL */
  label: string | null;
  /** the reconciliation run a discrepancy belongs to */
  runId: string | null;
}

export interface AuditEntryView {
  /** the entry's id (a bigint, as text) */
  id: string;
  occurredAt: Date;
  actorType: (typeof AUDIT_ACTOR_TYPES)[number];
  actorId: string | null;
  actorLabel: string;
  action: string;
  targetType: string;
  targetId: string | null;
  target: AuditTargetRef;
  result: (typeof AUDIT_RESULTS)[number];
  reason: string | null;
  facilityCode: string | null;
  /** the facility's timezone, to show the time as its staff read it */
  facilityTimezone: string | null;
  ip: string | null;
  userAgent: string | null;
  scope: string | null;
  correlationId: string | null;
  metadata: unknown;
}

export interface AuditPage {
  entries: AuditEntryView[];
  nextCursor: string | null;
}

const UUID = Prisma.sql`'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$'`;
/** The target id as a uuid, or null when it is not one (so the cast can never fail). */
const TARGET_UUID = Prisma.sql`(CASE WHEN a.target_id ~ ${UUID} THEN a.target_id::uuid END)`;

const RESULT_LITERAL: Readonly<Record<(typeof AUDIT_RESULTS)[number], Prisma.Sql>> = {
  SUCCESS: Prisma.raw(`'SUCCESS'::"AuditResult"`),
  DENIED: Prisma.raw(`'DENIED'::"AuditResult"`),
  FAILED: Prisma.raw(`'FAILED'::"AuditResult"`),
};

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** The WHERE clause (without the keyword) for `audit_entries a`, limited to what the actor may see. */
export function auditWhere(filter: AuditFilter, actor: Actor): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE ${scopeSql(actor, Prisma.sql`a.facility_id`)}`];
  if (filter.q) {
    const like = `%${escapeLike(filter.q)}%`;
    parts.push(Prisma.sql`(a.actor_label ILIKE ${like} OR a.target_id IN (${filter.q}, ${filter.q.toUpperCase()})
      OR a.correlation_id = ${filter.q} OR a.action = ${filter.q.toLowerCase()})`);
  }
  if (filter.actorType) parts.push(Prisma.sql`a.actor_type = ${filter.actorType}::"ActorType"`);
  if (filter.actor) parts.push(Prisma.sql`a.actor_label ILIKE ${`%${escapeLike(filter.actor)}%`}`);
  if (filter.action) {
    parts.push(
      filter.action.endsWith(".*")
        ? Prisma.sql`a.action LIKE ${`${escapeLike(filter.action.slice(0, -1).toLowerCase())}%`}`
        : Prisma.sql`a.action = ${filter.action.toLowerCase()}`,
    );
  }
  if (filter.targetType) parts.push(Prisma.sql`a.target_type = ${filter.targetType.toLowerCase()}`);
  if (filter.targetId) {
    // Booking references and codes are upper case, ids lower case: accept either as typed.
    const id = filter.targetId;
    parts.push(Prisma.sql`a.target_id IN (${id}, ${id.toUpperCase()}, ${id.toLowerCase()})`);
  }
  // A literal, not a parameter: the planner then matches denied and failed entries to their
  // small partial index (docs/performance.md#audit-log).
  if (filter.result) parts.push(Prisma.sql`a.result = ${RESULT_LITERAL[filter.result]}`);
  if (filter.facilityCode) {
    parts.push(Prisma.sql`a.facility_id = (SELECT id FROM facilities WHERE code = ${filter.facilityCode})`);
  }
  if (filter.correlationId) parts.push(Prisma.sql`a.correlation_id = ${filter.correlationId}`);
  if (filter.from) parts.push(Prisma.sql`a.occurred_at >= ${filter.from}`);
  if (filter.to) parts.push(Prisma.sql`a.occurred_at < ${filter.to}`);
  return Prisma.join(parts, " AND ");
}

/**
 * One row per entry with its target resolved. Each branch of the lateral join applies
 * to one target type only (its type test is a one-time filter, so the others cost
 * nothing); a target that no longer exists resolves to nulls.
 */
function selectEntries(where: Prisma.Sql, limit: number): Prisma.Sql {
  return Prisma.sql`
    SELECT a.id, a.occurred_at, a.actor_type::text AS actor_type, a.actor_id, a.actor_label, a.action, a.target_type,
           a.target_id, a.result::text AS result, a.reason, a.ip, a.user_agent, a.scope, a.correlation_id, a.metadata,
           f.code AS facility_code, f.timezone AS facility_timezone,
           t.facility_code AS t_facility_code, t.unit_code AS t_unit_code, t.unit_type_code AS t_unit_type_code,
           t.partner_code AS t_partner_code, t.label AS t_label, t.run_id AS t_run_id
      FROM audit_entries a
      LEFT JOIN facilities f ON f.id = a.facility_id
      LEFT JOIN LATERAL (
        SELECT tf.code AS facility_code, u.code AS unit_code, NULL::text AS unit_type_code, NULL::text AS partner_code,
               NULL::text AS label, NULL::text AS run_id
          FROM maintenance_blocks mb JOIN units u ON u.id = mb.unit_id JOIN facilities tf ON tf.id = u.facility_id
         WHERE a.target_type IN ('maintenance_block', 'block') AND mb.id = ${TARGET_UUID}
        UNION ALL
        SELECT tf.code, u.code, NULL, NULL, NULL, NULL
          FROM units u JOIN facilities tf ON tf.id = u.facility_id
         WHERE a.target_type = 'unit'
           AND (u.id = ${TARGET_UUID}
                OR (${TARGET_UUID} IS NULL AND a.target_id LIKE '%/%'
                    AND tf.code = split_part(a.target_id, '/', 1) AND u.code = split_part(a.target_id, '/', 2))
                OR (${TARGET_UUID} IS NULL AND u.facility_id = a.facility_id AND u.code = a.target_id))
        UNION ALL
        SELECT tf.code, NULL, ut.code, NULL, NULL, NULL
          FROM inventory_pools p JOIN unit_types ut ON ut.id = p.unit_type_id JOIN facilities tf ON tf.id = p.facility_id
         WHERE a.target_type IN ('inventory_pool', 'pool') AND p.id = ${TARGET_UUID}
        UNION ALL
        SELECT tf.code, NULL, NULL, NULL, NULL, NULL
          FROM bookings b JOIN facilities tf ON tf.id = b.facility_id
         WHERE a.target_type = 'booking' AND b.reference = a.target_id
        UNION ALL
        SELECT NULL, NULL, NULL, pa.code, NULL, NULL
          FROM partners pa
         WHERE a.target_type = 'partner' AND (pa.id = ${TARGET_UUID} OR (${TARGET_UUID} IS NULL AND pa.code = a.target_id))
        UNION ALL
        SELECT NULL, NULL, NULL, pa.code, k.prefix, NULL
          FROM api_keys k JOIN partners pa ON pa.id = k.partner_id
         WHERE a.target_type = 'api_key' AND k.id = ${TARGET_UUID}
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, us.email, NULL
          FROM users us
         WHERE a.target_type = 'user' AND (us.id = ${TARGET_UUID} OR (${TARGET_UUID} IS NULL AND us.email = a.target_id))
        UNION ALL
        SELECT NULL, NULL, NULL, pa.code, ep.url, NULL
          FROM webhook_endpoints ep JOIN partners pa ON pa.id = ep.partner_id
         WHERE a.target_type IN ('webhook_endpoint', 'endpoint') AND ep.id = a.target_id
        UNION ALL
        SELECT NULL, NULL, NULL, NULL, NULL, d.run_id
          FROM discrepancies d
         WHERE a.target_type = 'discrepancy' AND d.id = ${TARGET_UUID}
        LIMIT 1
      ) t ON TRUE
     WHERE ${where}
     ORDER BY a.occurred_at DESC, a.id DESC
     LIMIT ${limit}`;
}

interface Row {
  id: bigint;
  occurred_at: Date;
  actor_type: AuditEntryView["actorType"];
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string;
  target_id: string | null;
  result: AuditEntryView["result"];
  reason: string | null;
  ip: string | null;
  user_agent: string | null;
  scope: string | null;
  correlation_id: string | null;
  metadata: unknown;
  facility_code: string | null;
  facility_timezone: string | null;
  t_facility_code: string | null;
  t_unit_code: string | null;
  t_unit_type_code: string | null;
  t_partner_code: string | null;
  t_label: string | null;
  t_run_id: string | null;
}

function toView(row: Row): AuditEntryView {
  return {
    id: row.id.toString(),
    occurredAt: row.occurred_at,
    actorType: row.actor_type,
    actorId: row.actor_id,
    actorLabel: row.actor_label,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    target: {
      // A unit written by code carries its facility on the entry itself.
      facilityCode: row.t_facility_code,
      unitCode: row.t_unit_code,
      unitTypeCode: row.t_unit_type_code,
      partnerCode: row.t_partner_code,
      label: row.t_label,
      runId: row.t_run_id ?? (row.target_type === "reconciliation_run" ? row.target_id : null),
    },
    result: row.result,
    reason: row.reason,
    facilityCode: row.facility_code,
    facilityTimezone: row.facility_timezone,
    ip: row.ip,
    userAgent: row.user_agent,
    scope: row.scope,
    correlationId: row.correlation_id,
    metadata: row.metadata,
  };
}

async function queryEntries(filter: AuditFilter, actor: Actor, cursor: AuditCursor | null, limit: number): Promise<Row[]> {
  const where = cursor
    ? Prisma.sql`${auditWhere(filter, actor)} AND (a.occurred_at, a.id) < (${cursor.occurredAt}::timestamptz, ${cursor.id}::bigint)`
    : auditWhere(filter, actor);
  return getDb().$queryRaw<Row[]>(selectEntries(where, limit));
}

/** One page, newest first; `nextCursor` continues with older entries (null at the end). */
export async function listAuditEntries(actor: Actor, raw: ListAuditEntriesInput): Promise<AuditPage> {
  const input = parseOrRefuse(ListAuditEntriesInput, raw);
  const cursor = input.cursor ? decodeAuditCursor(input.cursor) : null;
  const rows = await queryEntries(input.filter, actor, cursor, input.limit + 1);
  const page = rows.slice(0, input.limit);
  const last = page.at(-1);
  return {
    entries: page.map(toView),
    nextCursor: rows.length > input.limit && last ? encodeAuditCursor({ occurredAt: last.occurred_at, id: last.id }) : null,
  };
}

/** Every entry the filter matches, up to the export cap; `truncated` when there were more. */
export async function exportAuditEntries(actor: Actor, raw: z.input<typeof AuditFilter>): Promise<{ entries: AuditEntryView[]; truncated: boolean }> {
  const filter = parseOrRefuse(AuditFilter, raw);
  const rows = await queryEntries(filter, actor, null, AUDIT_EXPORT_LIMIT + 1);
  return { entries: rows.slice(0, AUDIT_EXPORT_LIMIT).map(toView), truncated: rows.length > AUDIT_EXPORT_LIMIT };
}
