import { z } from "zod";
import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { parsePgBigint, pgDate } from "@/server/domain/shared/safe-input";
import type { SqlRow } from "@/server/domain/shared/sql-row";
import type { ApiRequestLog, Partner } from "../../generated/prisma/client";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { DomainError } from "@/server/domain/shared/errors";
import { maskCustomerData } from "./mask-customer-data";

/**
 * The request log's read side (docs/request-log.md#reading-it), newest first in keyset
 * pages, for the console and for a partner's own `GET /api/v1/request-logs`:
 *
 * - a partner sees only its own calls (the partner is forced into the query);
 * - a site manager only calls on their facilities' bookings (`scopeSql` on the row's
 *   facility), and customer details in a body only when every booking the call named is
 *   theirs;
 * - support, ops leads and admins see every call.
 */

const PAGE_SIZE = 50;
export const API_REQUEST_EXPORT_LIMIT = 10_000;

const text = (max: number) => z.string().trim().min(1).max(max);
export const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;

export const ApiRequestFilter = z
  .object({
    /** staff only: one partner, by code */
    partner: text(64).optional(),
    /** the key's prefix (hf_live_XXXX) */
    keyPrefix: text(32).optional(),
    /** the route pattern, e.g. /api/v1/bookings/{reference}/confirm */
    route: text(200).optional(),
    method: z.enum(["GET", "POST", "PATCH", "PUT", "DELETE"]).optional(),
    status: z.coerce.number().int().min(100).max(599).optional(),
    statusClass: z.enum(STATUS_CLASSES).optional(),
    /** the problem code, e.g. HOLD_EXPIRED */
    code: text(64)
      .regex(/^[A-Za-z_]+$/, "A problem code is like HOLD_EXPIRED.")
      .transform((c) => c.toUpperCase())
      .optional(),
    idempotencyKey: text(255).optional(),
    correlationId: text(200).optional(),
    bookingReference: text(64)
      .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "A booking reference is letters, digits and dashes, e.g. BK-7F3K2Q.")
      .transform((r) => r.toUpperCase())
      .optional(),
    /** staff only: the facility the call was attributed to, by code */
    facility: text(32).optional(),
    /** staff only: partner_api or payment_webhook */
    source: z.enum(["partner_api", "payment_webhook"]).optional(),
    from: pgDate().optional(),
    /** exclusive */
    to: pgDate().optional(),
  })
  .strict()
  .refine((f) => !f.from || !f.to || f.from < f.to, { message: "`from` must be before `to`", path: ["to"] });
export type ApiRequestFilter = z.output<typeof ApiRequestFilter>;

export const ListApiRequestsInput = z
  .object({
    filter: ApiRequestFilter.default({}),
    /** the `nextCursor` of the previous page: the last request's id */
    cursor: z.string().max(20).nullish(),
    limit: z.number().int().min(1).max(API_REQUEST_EXPORT_LIMIT).default(PAGE_SIZE),
    /** what TanStack's infinite queries send along; pages only go older */
    direction: z.enum(["forward", "backward"]).optional(),
  })
  .strict();
export type ListApiRequestsInput = z.input<typeof ListApiRequestsInput>;

type Row = SqlRow<
  ApiRequestLog,
  | "id"
  | "source"
  | "partnerId"
  | "keyPrefix"
  | "method"
  | "route"
  | "path"
  | "query"
  | "status"
  | "code"
  | "durationMs"
  | "idempotencyKey"
  | "correlationId"
  | "replayed"
  | "ip"
  | "userAgent"
  | "bookingReferences"
  | "requestBody"
  | "responseBody"
  | "requestTruncated"
  | "responseTruncated"
  | "createdAt"
> & { partner_code: Partner["code"] | null; facility_code: string | null; foreign_bookings: boolean };

export interface ApiRequestView {
  /** the row's id (a bigint, as text) */
  id: string;
  source: string;
  partnerCode: string | null;
  keyPrefix: string | null;
  method: string;
  route: string;
  path: string;
  query: string | null;
  status: number;
  code: string | null;
  durationMs: number;
  idempotencyKey: string | null;
  correlationId: string;
  replayed: boolean;
  ip: string | null;
  userAgent: string | null;
  facilityCode: string | null;
  bookingReferences: string[];
  requestBody: string | null;
  responseBody: string | null;
  requestTruncated: boolean;
  responseTruncated: boolean;
  /** customer details were hidden from the bodies: a booking the call named is outside the reader's facilities */
  customerHidden: boolean;
  createdAt: Date;
}

export interface ApiRequestPage {
  requests: ApiRequestView[];
  nextCursor: string | null;
}

/** The WHERE clause (without the keyword) for `api_request_log l`, limited to what the actor may see. */
export function requestWhere(filter: ApiRequestFilter, actor: Actor, cursor: bigint | null): Prisma.Sql {
  // A partner is scoped by its own id (all its keys' calls, facility-less ones too) and, for a
  // key limited to some facilities, to calls on those (as its bookings are); people by their facilities.
  const partnerLimits =
    actor.facilityIds === null ? Prisma.empty : Prisma.sql`AND (l.facility_id IS NULL OR l.facility_id = ANY(${[...actor.facilityIds]}::uuid[]))`;
  const parts: Prisma.Sql[] = [
    actor.type === "PARTNER" ? Prisma.sql`l.partner_id = ${actor.id}::uuid ${partnerLimits}` : Prisma.sql`TRUE ${scopeSql(actor, Prisma.sql`l.facility_id`)}`,
  ];
  if (actor.type !== "PARTNER" && filter.partner) parts.push(Prisma.sql`p.code = ${filter.partner.toUpperCase()}`);
  if (actor.type !== "PARTNER" && filter.facility) parts.push(Prisma.sql`f.code = ${filter.facility.toUpperCase()}`);
  if (actor.type !== "PARTNER" && filter.source) parts.push(Prisma.sql`l.source = ${filter.source}`);
  if (filter.keyPrefix) parts.push(Prisma.sql`l.key_prefix = ${filter.keyPrefix}`);
  if (filter.route) parts.push(Prisma.sql`l.route = ${filter.route}`);
  if (filter.method) parts.push(Prisma.sql`l.method = ${filter.method}`);
  if (filter.status !== undefined) parts.push(Prisma.sql`l.status = ${filter.status}`);
  if (filter.statusClass) {
    const low = Number(filter.statusClass[0]) * 100;
    parts.push(Prisma.sql`l.status >= ${low} AND l.status < ${low + 100}`);
  }
  if (filter.code) parts.push(Prisma.sql`l.code = ${filter.code}`);
  if (filter.idempotencyKey) parts.push(Prisma.sql`l.idempotency_key = ${filter.idempotencyKey}`);
  if (filter.correlationId) parts.push(Prisma.sql`l.correlation_id = ${filter.correlationId}`);
  if (filter.bookingReference) parts.push(Prisma.sql`l.booking_references @> ARRAY[${filter.bookingReference}]::text[]`);
  if (filter.from) parts.push(Prisma.sql`l.created_at >= ${filter.from}`);
  if (filter.to) parts.push(Prisma.sql`l.created_at < ${filter.to}`);
  if (cursor !== null) parts.push(Prisma.sql`l.id < ${cursor}::bigint`);
  return Prisma.join(parts, " AND ");
}

export function decodeCursor(raw: string | null | undefined): bigint | null {
  if (!raw) return null;
  const id = /^\d{1,19}$/.test(raw) ? parsePgBigint(raw) : null;
  if (id === null) {
    throw new DomainError("VALIDATION_FAILED", "The page cursor is not valid; start from the first page.", {}, [
      { path: "cursor", message: "Not a cursor from this list" },
    ]);
  }
  return id;
}

/** Calls the actor may see, newest first. */
export async function listApiRequests(raw: ListApiRequestsInput, actor: Actor): Promise<ApiRequestPage> {
  await authorize(actor, "api_log.read");
  const input = parseOrRefuse(ListApiRequestsInput, raw);
  const cursor = decodeCursor(input.cursor);
  const rows = await readApiRequests(actor, requestWhere(input.filter, actor, cursor), input.limit + 1);
  const page = rows.slice(0, input.limit);
  return { requests: page, nextCursor: rows.length > input.limit ? page.at(-1)!.id : null };
}

/**
 * The rows matching `where` (a condition on `api_request_log l` that already carries the
 * actor's scope, from `requestWhere`), newest first. Shared by the list, one request's
 * detail and the idempotency inspector, so all three apply the same scope and masking.
 */
export async function readApiRequests(actor: Actor, where: Prisma.Sql, limit: number): Promise<ApiRequestView[]> {
  // Customer details are hidden from a facility-scoped reader when the call named a booking outside their facilities.
  const foreign =
    actor.type === "PARTNER" || actor.facilityIds === null
      ? Prisma.sql`false`
      : Prisma.sql`EXISTS (SELECT 1 FROM bookings b WHERE b.reference = ANY(l.booking_references)
                           AND NOT (b.facility_id = ANY(${[...actor.facilityIds]}::uuid[])))`;
  const rows = await getDb().$queryRaw<Row[]>`
    SELECT l.id, l.source, l.partner_id, l.key_prefix, l.method, l.route, l.path, l.query, l.status, l.code, l.duration_ms,
           l.idempotency_key, l.correlation_id, l.replayed, l.ip, l.user_agent, l.booking_references,
           l.request_body, l.response_body, l.request_truncated, l.response_truncated, l.created_at,
           p.code AS partner_code, f.code AS facility_code, ${foreign} AS foreign_bookings
    FROM api_request_log l
    LEFT JOIN partners p ON p.id = l.partner_id
    LEFT JOIN facilities f ON f.id = l.facility_id
    WHERE ${where}
    ORDER BY l.id DESC
    LIMIT ${limit}`;
  return rows.map(toView);
}

function toView(r: Row): ApiRequestView {
  const hide = r.foreign_bookings;
  return {
    id: String(r.id),
    source: r.source,
    partnerCode: r.partner_code,
    keyPrefix: r.key_prefix,
    method: r.method,
    route: r.route,
    path: r.path,
    query: r.query,
    status: r.status,
    code: r.code,
    durationMs: r.duration_ms,
    idempotencyKey: r.idempotency_key,
    correlationId: r.correlation_id,
    replayed: r.replayed,
    ip: r.ip,
    userAgent: r.user_agent,
    facilityCode: r.facility_code,
    bookingReferences: r.booking_references ?? [],
    requestBody: hide ? maskCustomerData(r.request_body) : r.request_body,
    responseBody: hide ? maskCustomerData(r.response_body) : r.response_body,
    requestTruncated: r.request_truncated,
    responseTruncated: r.response_truncated,
    customerHidden: hide,
    createdAt: r.created_at,
  };
}
