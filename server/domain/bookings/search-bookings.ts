import { z } from "zod";
import { pgIsoDateTime } from "@/server/domain/shared/safe-input";
import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { BookingStatus } from "../../generated/prisma/enums";
import type { Actor } from "@/server/domain/shared/actor";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { DomainError } from "@/server/domain/shared/errors";
import { effectiveStatus } from "./lifecycle";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ID_PATTERN } from "@/shared/ids";

/**
 * The console's booking search: one box that finds a booking by any key a caller may
 * quote — reference, partner booking reference, unit code, customer name or email,
 * correlation id, event id (or webhook delivery id), idempotency key — plus filters, in
 * one query, keyset-paginated. Exact matches come first, then partial (name/email) ones,
 * newest first within each.
 *
 * The text is routed by its shape (docs/performance.md#booking-search): a key-shaped
 * text — a booking reference (BK-…), an event or delivery id (evt_…, msg_…), an e-mail
 * address, a uuid (idempotency keys and correlation ids usually are) — is looked up only
 * where it can be, each through an exact index. Anything else is tried as every exact key
 * and, from three characters on, as a fragment of a name or e-mail, which the pg_trgm
 * GIN indexes serve (ILIKE '%…%' without them reads every booking). The actor's facility
 * scope is part of the WHERE, so a site manager never sees another facility's bookings.
 */

const BOOKING_STATUSES = ["TENTATIVE", "CONFIRMED", "FULFILLED", "EXPIRED", "CANCELLED", "MOVED_OUT"] as const;
const SEARCH_PAGE_SIZE = 50;
const EXPORT_CAP = 5_000;

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const isoDay = z
  .string()
  .regex(DAY, "Use a date like 2026-11-21.")
  .refine((value) => !Number.isNaN(Date.parse(`${value}T00:00:00Z`)) && new Date(`${value}T00:00:00Z`).toISOString().startsWith(value), {
    message: "Not a calendar date.",
  });
const code = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "Letters, digits, dashes and underscores only.")
  .transform((value) => value.toUpperCase());

/** The filters (shared by the list, its CSV export and the URL). */
export const BookingFilter = z
  .object({
    q: z.string().trim().max(200, "Search for at most 200 characters.").optional(),
    status: z.array(z.enum(BOOKING_STATUSES)).max(BOOKING_STATUSES.length).optional(),
    facilityCode: code.optional(),
    partnerCode: code.optional(),
    createdFrom: isoDay.optional(),
    createdTo: isoDay.optional(),
    moveInFrom: isoDay.optional(),
    moveInTo: isoDay.optional(),
  })
  .strict()
  .refine((f) => !f.createdFrom || !f.createdTo || f.createdFrom <= f.createdTo, {
    message: "The start of the created range must not be after its end.",
    path: ["createdTo"],
  })
  .refine((f) => !f.moveInFrom || !f.moveInTo || f.moveInFrom <= f.moveInTo, {
    message: "The start of the move-in range must not be after its end.",
    path: ["moveInTo"],
  });
export type BookingFilter = z.output<typeof BookingFilter>;

export const SearchBookingsInput = z
  .object({
    filter: BookingFilter.default({}),
    cursor: z.string().max(500).nullish(),
    limit: z.number().int().min(1).max(100).default(SEARCH_PAGE_SIZE),
  })
  .strict();
export type SearchBookingsInput = z.input<typeof SearchBookingsInput>;

/** How a row was found; more than one key may match. */
export type MatchKind =
  | "reference"
  | "partner_reference"
  | "unit_code"
  | "customer_name"
  | "customer_email"
  | "correlation_id"
  | "event_id"
  | "delivery_id"
  | "idempotency_key";

export interface BookingListRow {
  id: string;
  reference: string;
  status: BookingStatus;
  facilityCode: string;
  facilityTimezone: string;
  unitCode: string;
  unitTypeCode: string;
  partnerCode: string;
  partnerBookingReference: string;
  customerName: string;
  customerEmail: string;
  moveInDate: string;
  holdExpiresAt: Date;
  createdAt: Date;
  lastEventAt: Date;
  inventoryVersion: number;
  cancelReason: string | null;
  /** with a search: the keys that matched, and whether one matched exactly */
  matchedBy: MatchKind[];
  exact: boolean;
}

export interface BookingSearchPage {
  items: BookingListRow[];
  nextCursor: string | null;
}

interface Cursor {
  rank: number;
  createdAt: Date;
  id: string;
}

const CursorShape = z.object({ r: z.number().int().min(0).max(1), c: pgIsoDateTime(), i: z.uuid() }).strict();

function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify({ r: cursor.rank, c: cursor.createdAt.toISOString(), i: cursor.id })).toString("base64url");
}

function decodeCursor(raw: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const result = CursorShape.safeParse(parsed);
  if (!result.success) {
    throw new DomainError("VALIDATION_FAILED", "The page cursor is not valid; start from the first page.", {}, [
      { path: "cursor", message: "Not a cursor this list handed out." },
    ]);
  }
  return { rank: result.data.r, createdAt: new Date(result.data.c), id: result.data.i };
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (ch) => `\\${ch}`);
}

/** What a search text looks like, which decides where it is looked up. */
export type SearchShape = "reference" | "event_id" | "delivery_id" | "email" | "uuid" | "text";

const REFERENCE_SHAPE = /^BK-[A-Z0-9]+$/i;
const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID_SHAPE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** pg_trgm indexes a fragment from three characters on; a shorter one would read every booking. */
const MIN_FRAGMENT = 3;

export function searchShape(q: string): SearchShape {
  if (REFERENCE_SHAPE.test(q)) return "reference";
  if (ID_PATTERN.evt.test(q)) return "event_id";
  if (ID_PATTERN.msg.test(q)) return "delivery_id";
  if (EMAIL_SHAPE.test(q)) return "email";
  if (UUID_SHAPE.test(q)) return "uuid";
  return "text";
}

/**
 * Where the fragment branch may look, and how far: the filters and scope (`bookings b`),
 * the keyset position among partial matches, and the page size. Partial matches are cut at
 * one page inside the branch, newest first, so a common fragment reads a page of bookings
 * instead of every booking that contains it.
 */
interface FragmentPage {
  where: Prisma.Sql;
  /** the keyset condition for exact name matches (rank 0) and for partial ones (rank 1) */
  afterExact: Prisma.Sql;
  afterPartial: Prisma.Sql;
  limit: number;
}

/** Every booking id the query text points at, with its rank (0 exact, 1 partial) and how. */
function matchesOf(q: string, fragmentPage: FragmentPage): Prisma.Sql {
  const upper = q.toUpperCase();
  const lower = q.toLowerCase();
  const pattern = `%${escapeLike(q)}%`;
  const byReference = Prisma.sql`SELECT id, 0, 'reference' FROM bookings WHERE reference = ${upper}`;
  const byPartnerReference = Prisma.sql`SELECT id, 0, 'partner_reference' FROM bookings WHERE partner_booking_reference = ${q}`;
  const byEmail = Prisma.sql`SELECT id, 0, 'customer_email' FROM bookings WHERE customer_email = ${lower}`;
  const byEvent = Prisma.sql`SELECT booking_id, 0, 'event_id' FROM events WHERE id = ${q}`;
  const byDelivery = Prisma.sql`SELECT e.booking_id, 0, 'delivery_id' FROM webhook_deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = ${q}`;
  const byKeys = [
    Prisma.sql`SELECT id, 0, 'idempotency_key' FROM bookings WHERE idempotency_key = ${q}`,
    Prisma.sql`SELECT booking_id, 0, 'idempotency_key' FROM idempotency_records WHERE key = ${q}`,
    Prisma.sql`SELECT id, 0, 'correlation_id' FROM bookings WHERE correlation_id = ${q}`,
    Prisma.sql`SELECT booking_id, 0, 'correlation_id' FROM events WHERE correlation_id = ${q}`,
    Prisma.sql`SELECT b.id, 0, 'correlation_id' FROM audit_entries a JOIN bookings b ON b.reference = a.target_id
      WHERE a.correlation_id = ${q} AND a.target_type = 'booking'`,
  ];
  let branches: Prisma.Sql[];
  switch (searchShape(q)) {
    case "reference":
      branches = [byReference, byPartnerReference];
      break;
    case "event_id":
      branches = [byEvent];
      break;
    case "delivery_id":
      branches = [byDelivery];
      break;
    case "email":
      branches = [byEmail, byPartnerReference, ...byKeys];
      break;
    case "uuid":
      branches = [byPartnerReference, ...byKeys];
      break;
    case "text": {
      // A unit code is in every facility (A-101 at each of 50 sites, ten bookings each over
      // two years): its matches are cut at one page, newest first, with the filters and the
      // keyset applied, like the fragments below.
      const byUnitCode = Prisma.sql`SELECT uc.id, 0, 'unit_code' FROM (
          SELECT b.id FROM units u JOIN bookings b ON b.unit_id = u.id
          WHERE u.code = ${upper} AND ${fragmentPage.where} ${fragmentPage.afterExact}
          ORDER BY b.created_at DESC, b.id DESC
          LIMIT ${fragmentPage.limit + 1}
        ) uc`;
      const exact = Prisma.join([byReference, byPartnerReference, byUnitCode, byEmail, ...byKeys], " UNION ALL ");
      if (q.length < MIN_FRAGMENT) {
        branches = [exact];
        break;
      }
      // A fragment is looked for only when no key matches exactly: a partner reference,
      // a unit code or a correlation id is a key, and its trigrams (common at size) would
      // otherwise be read for nothing. PostgreSQL evaluates NOT EXISTS once, before the
      // fragment scans, and skips them when it is false. The unit code's branch above is
      // filtered, so whether the code names any booked unit is asked apart (whatever the
      // filters, as for every other key).
      const noExactKey = Prisma.sql`NOT EXISTS (SELECT 1 FROM exact WHERE booking_id IS NOT NULL)
        AND NOT EXISTS (SELECT 1 FROM units u JOIN bookings ub ON ub.unit_id = u.id WHERE u.code = ${upper})`;
      // an e-mail address has no spaces: "Jane Doe" can only be (part of) a name
      const emailToo = !/\s/.test(q);
      const contains = emailToo
        ? Prisma.sql`(b.customer_name ILIKE ${pattern} OR b.customer_email ILIKE ${pattern})`
        : Prisma.sql`b.customer_name ILIKE ${pattern}`;
      // the whole name, in any case: exact, one page newest first
      // ((lower(customer_name), created_at) has an index, read backwards)
      const sameName = Prisma.sql`whole_name AS MATERIALIZED (
          SELECT b.id FROM bookings b
          WHERE lower(b.customer_name) = ${lower} AND ${noExactKey} AND ${fragmentPage.where} ${fragmentPage.afterExact}
          ORDER BY b.created_at DESC, b.id DESC
          LIMIT ${fragmentPage.limit + 1}
        )`;
      const fragments: Prisma.Sql[] = [Prisma.sql`SELECT id, 0, 'customer_name' FROM whole_name`];
      // Partial matches rank after every exact one: when the whole name alone fills the
      // page (and tells there is a next one), none of them can be on it, and the trigram
      // scans, whose every candidate is a heap page read to recheck, are skipped (one-time
      // filter). Later pages reach them through the keyset.
      const pageNotFull = Prisma.sql`(SELECT count(*) FROM whole_name) <= ${fragmentPage.limit}`;
      const partial = Prisma.sql`${contains} AND lower(b.customer_name) <> ${lower} AND b.customer_email <> ${lower} AND ${noExactKey}
              AND ${pageNotFull} AND ${fragmentPage.where} ${fragmentPage.afterPartial}`;
      const kindsOf = (page: Prisma.Sql) => Prisma.sql`SELECT f.id, 1, k.kind FROM (${page}) f
          CROSS JOIN LATERAL (VALUES ('customer_name', f.customer_name ILIKE ${pattern}),
                                     ('customer_email', ${emailToo} AND f.customer_email ILIKE ${pattern})) k (kind, hit)
          WHERE k.hit`;
      // A text with a space that is someone's whole name ("Grace Shaw") is rarely inside
      // another name, but the planner, counting the exact matches it excludes, expects many
      // and walks every booking by created_at looking for a page that is not there. For that
      // text the partial matches are all read (trigram indexes) and sorted.
      const wholeName = emailToo ? null : Prisma.sql`EXISTS (SELECT 1 FROM bookings wb WHERE lower(wb.customer_name) = ${lower})`;
      // part of a name or an e-mail: one page, newest first. The planner walks
      // bookings by created_at when the fragment is common, and reads the trigram
      // indexes when it is rare.
      fragments.push(
        kindsOf(Prisma.sql`SELECT b.id, b.customer_name, b.customer_email FROM bookings b
            WHERE ${partial} ${wholeName ? Prisma.sql`AND NOT ${wholeName}` : Prisma.empty}
            ORDER BY b.created_at DESC, b.id DESC
            LIMIT ${fragmentPage.limit + 1}`),
      );
      if (wholeName) {
        fragments.push(
          kindsOf(Prisma.sql`SELECT id, customer_name, customer_email FROM within_whole_name
            ORDER BY created_at DESC, id DESC
            LIMIT ${fragmentPage.limit + 1}`),
        );
      }
      const withinWholeName = wholeName
        ? Prisma.sql`, within_whole_name AS MATERIALIZED (
            SELECT b.id, b.created_at, b.customer_name, b.customer_email FROM bookings b WHERE ${partial} AND ${wholeName})`
        : Prisma.empty;
      return Prisma.sql`
        WITH exact (booking_id, rank, kind) AS MATERIALIZED (${exact}), ${sameName} ${withinWholeName}
        SELECT booking_id, min(rank) AS rank, array_agg(DISTINCT kind) AS kinds FROM (
          SELECT booking_id, rank, kind FROM exact
          UNION ALL ${Prisma.join(fragments, " UNION ALL ")}
        ) found (booking_id, rank, kind)
        WHERE booking_id IS NOT NULL
        GROUP BY booking_id`;
    }
  }
  return Prisma.sql`
    SELECT booking_id, min(rank) AS rank, array_agg(DISTINCT kind) AS kinds FROM (
      ${Prisma.join(branches, " UNION ALL ")}
    ) found (booking_id, rank, kind)
    WHERE booking_id IS NOT NULL
    GROUP BY booking_id`;
}

/** Filters and scope, over `bookings b` alone (the fragment branch applies them before its page cut). */
function filterWhere(filter: BookingFilter, actor: Actor, now: Date): Prisma.Sql {
  const parts: Prisma.Sql[] = [Prisma.sql`TRUE ${scopeSql(actor, Prisma.sql`b.facility_id`)}`];
  if (actor.type === "PARTNER") parts.push(Prisma.sql`b.partner_id = ${actor.id}::uuid`);
  if (filter.status?.length) {
    // What the console shows: a TENTATIVE booking past its hold is expired, job or not.
    const statuses = filter.status.map((status) => {
      switch (status) {
        case "TENTATIVE":
          return Prisma.sql`(b.status = 'TENTATIVE' AND b.hold_expires_at > ${now})`;
        case "EXPIRED":
          return Prisma.sql`(b.status = 'EXPIRED' OR (b.status = 'TENTATIVE' AND b.hold_expires_at <= ${now}))`;
        default:
          return Prisma.sql`b.status = ${status}::"BookingStatus"`;
      }
    });
    parts.push(Prisma.sql`(${Prisma.join(statuses, " OR ")})`);
  }
  if (filter.facilityCode) parts.push(Prisma.sql`b.facility_id = (SELECT id FROM facilities WHERE code = ${filter.facilityCode})`);
  if (filter.partnerCode) parts.push(Prisma.sql`b.partner_id = (SELECT id FROM partners WHERE code = ${filter.partnerCode})`);
  if (filter.createdFrom) parts.push(Prisma.sql`b.created_at >= ${new Date(`${filter.createdFrom}T00:00:00Z`)}`);
  if (filter.createdTo) {
    parts.push(Prisma.sql`b.created_at < ${new Date(Date.parse(`${filter.createdTo}T00:00:00Z`) + 86_400_000)}`);
  }
  if (filter.moveInFrom) parts.push(Prisma.sql`b.move_in_date >= ${filter.moveInFrom}::date`);
  if (filter.moveInTo) parts.push(Prisma.sql`b.move_in_date <= ${filter.moveInTo}::date`);
  return Prisma.join(parts, " AND ");
}

type Row = {
  id: string;
  reference: string;
  status: BookingStatus;
  facility_code: string;
  facility_timezone: string;
  unit_code: string;
  unit_type_code: string;
  partner_code: string;
  partner_booking_reference: string;
  customer_name: string;
  customer_email: string;
  move_in_date: Date;
  hold_expires_at: Date;
  created_at: Date;
  last_event_at: Date;
  inventory_version: number;
  cancel_reason: string | null;
  rank: number;
  kinds: string[] | null;
};

/**
 * One page of bookings matching `filter` (and its search text), exact matches first,
 * then newest first. `cursor` is the previous page's `nextCursor`.
 */
export async function searchBookings(input: SearchBookingsInput, actor: Actor, now = new Date()): Promise<BookingSearchPage> {
  const { filter, cursor, limit } = parseOrRefuse(SearchBookingsInput, input);
  return searchPage(filter, actor, { cursor: cursor ? decodeCursor(cursor) : null, limit }, now);
}

/** Every booking matching `filter`, up to EXPORT_CAP rows, for the CSV export. */
export async function exportBookings(
  input: z.input<typeof BookingFilter>,
  actor: Actor,
  now = new Date(),
): Promise<{ rows: BookingListRow[]; truncated: boolean }> {
  const filter = parseOrRefuse(BookingFilter, input);
  const page = await searchPage(filter, actor, { cursor: null, limit: EXPORT_CAP }, now);
  return { rows: page.items, truncated: page.nextCursor !== null };
}

async function searchPage(
  filter: BookingFilter,
  actor: Actor,
  page: { cursor: Cursor | null; limit: number },
  now: Date,
): Promise<BookingSearchPage> {
  const searchText = filter.q?.trim() ? filter.q.trim() : null;
  // Without search text the list is bookings by creation time alone, which the
  // created_at index serves; with it, the matches' rank comes first.
  const where = filterWhere(filter, actor, now);
  const fragmentPage: FragmentPage = {
    where,
    // exact matches (rank 0) all come before partial ones (rank 1): past the exact ones,
    // none is needed; among them, the partial ones start at the top
    afterExact: !page.cursor ? Prisma.empty : page.cursor.rank === 0 ? keysetAfter(page.cursor) : Prisma.sql`AND FALSE`,
    afterPartial: page.cursor?.rank === 1 ? keysetAfter(page.cursor) : Prisma.empty,
    limit: page.limit,
  };
  const source = searchText
    ? Prisma.sql`(${matchesOf(searchText, fragmentPage)}) m JOIN bookings b ON b.id = m.booking_id`
    : Prisma.sql`bookings b`;
  const rank = searchText ? Prisma.sql`m.rank` : Prisma.sql`0`;
  const kinds = searchText ? Prisma.sql`m.kinds` : Prisma.sql`NULL::text[]`;
  const order = searchText ? Prisma.sql`m.rank ASC, b.created_at DESC, b.id DESC` : Prisma.sql`b.created_at DESC, b.id DESC`;
  const after = page.cursor
    ? Prisma.sql`AND (${rank} > ${page.cursor.rank} OR (${rank} = ${page.cursor.rank} AND (b.created_at, b.id) < (${page.cursor.createdAt}::timestamptz, ${page.cursor.id}::uuid)))`
    : Prisma.empty;
  const rows = await getDb().$queryRaw<Row[]>`
    SELECT b.id, b.reference, b.status, f.code AS facility_code, f.timezone AS facility_timezone, u.code AS unit_code,
           ut.code AS unit_type_code, p.code AS partner_code, b.partner_booking_reference, b.customer_name,
           b.customer_email, b.move_in_date, b.hold_expires_at, b.created_at, b.last_event_at, b.inventory_version,
           b.cancel_reason, ${rank}::int AS rank, ${kinds} AS kinds
    FROM ${source}
    JOIN facilities f ON f.id = b.facility_id
    JOIN partners p ON p.id = b.partner_id
    JOIN units u ON u.id = b.unit_id
    JOIN unit_types ut ON ut.id = b.unit_type_id
    WHERE ${where} ${after}
    ORDER BY ${order}
    LIMIT ${page.limit + 1}`;
  const more = rows.length > page.limit;
  const items = rows.slice(0, page.limit).map((r) => toRow(r, now));
  const last = rows[page.limit - 1];
  return {
    items,
    nextCursor: more && last ? encodeCursor({ rank: last.rank, createdAt: last.created_at, id: last.id }) : null,
  };
}

function keysetAfter(cursor: Cursor): Prisma.Sql {
  return Prisma.sql`AND (b.created_at, b.id) < (${cursor.createdAt}::timestamptz, ${cursor.id}::uuid)`;
}

function toRow(r: Row, now: Date): BookingListRow {
  return {
    id: r.id,
    reference: r.reference,
    status: effectiveStatus({ status: r.status, holdExpiresAt: r.hold_expires_at }, now),
    facilityCode: r.facility_code,
    facilityTimezone: r.facility_timezone,
    unitCode: r.unit_code,
    unitTypeCode: r.unit_type_code,
    partnerCode: r.partner_code,
    partnerBookingReference: r.partner_booking_reference,
    customerName: r.customer_name,
    customerEmail: r.customer_email,
    moveInDate: r.move_in_date.toISOString().slice(0, 10),
    holdExpiresAt: r.hold_expires_at,
    createdAt: r.created_at,
    lastEventAt: r.last_event_at,
    inventoryVersion: r.inventory_version,
    cancelReason: r.cancel_reason,
    matchedBy: (r.kinds ?? []).filter(Boolean).sort() as MatchKind[],
    exact: r.kinds !== null && r.rank === 0,
  };
}
