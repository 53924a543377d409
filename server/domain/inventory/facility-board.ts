import { z } from "zod";
import { getDb } from "../../db";
import { Prisma as P } from "../../generated/prisma/client";
import type { BlockReason, BlockStatus, BookingStatus, UnitStatus } from "../../generated/prisma/enums";
import { effectiveStatus, LIVE_STATUSES } from "../bookings/lifecycle";
import type { Actor } from "@/server/domain/shared/actor";
import { facilitiesInScope, scopeSql } from "@/server/domain/shared/facility-scope";
import { notFound } from "@/server/domain/shared/errors";
import { FacilityCodeInput, getFacilityPools, type FacilityInventory, type PoolCounters } from "./list-facility-pools";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * The facility board's read side (docs/domain.md#unit-states; the
 * `/inventory/{facility_code}` screen of docs/architecture.md#console-screens;
 * docs/performance.md#inventory-board): the facility's pools with their counters and
 * inventory_version, the units' counts per unit type and status under the filters, and one
 * keyset page of units — each with its status, the live booking on it and its active or
 * scheduled blocks — filtered by unit type, status, floor and code. The actor's facility
 * scope is part of the query: a facility outside it is not found. The catalogue pages its
 * units with the same read, retired units included (`includeRetired`,
 * docs/performance.md#catalogue).
 */

const UNIT_STATUSES = ["AVAILABLE", "HELD", "BOOKED", "OCCUPIED", "BLOCKED"] as const satisfies readonly UnitStatus[];
/** The statuses a filter may name when retired units are listed too (the catalogue). */
const LISTED_STATUSES = [...UNIT_STATUSES, "RETIRED"] as const satisfies readonly UnitStatus[];
type ListedStatus = (typeof LISTED_STATUSES)[number];

/** Units per page of the board, and the most a caller may ask for. */
export const BOARD_PAGE_SIZE = 200;
export const BOARD_PAGE_MAX = 500;

const UnitTypeCode = z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "A unit type code is letters, digits and dashes.");

export const FacilityBoardInput = FacilityCodeInput.extend({
  /** only units of this type (its code) */
  unitType: UnitTypeCode.transform((code) => code.toUpperCase()).optional(),
  /** only units in these statuses (default: all); RETIRED only with includeRetired */
  status: z.array(z.enum(LISTED_STATUSES)).max(LISTED_STATUSES.length).optional(),
  /** list RETIRED units too, counted and filtered like the others (the catalogue); the board leaves them out */
  includeRetired: z.boolean().default(false),
  /** only units on this floor */
  floor: z.number().int().min(-20).max(500).optional(),
  /** only units whose code contains this (case-insensitive) */
  code: z.string().trim().min(1).max(32).optional(),
  /** the page after this unit (its code; the last unit of the previous page) */
  after: z.string().trim().min(1).max(32).optional(),
  /** the page before this unit (its code; the first unit of the next page) */
  before: z.string().trim().min(1).max(32).optional(),
  /** units per page */
  limit: z.number().int().min(1).max(BOARD_PAGE_MAX).default(BOARD_PAGE_SIZE),
})
  .strict()
  .refine((input) => !(input.after && input.before), { message: "Page either after or before a unit, not both.", path: ["before"] })
  .refine((input) => input.includeRetired || !input.status?.includes("RETIRED"), { message: "Retired units are listed only with includeRetired.", path: ["status"] });
export type FacilityBoardInput = z.input<typeof FacilityBoardInput>;

export interface BoardBooking {
  reference: string;
  /** effective: a hold past its expiry reads EXPIRED */
  status: BookingStatus;
  partnerCode: string;
  customerName: string;
  /** YYYY-MM-DD */
  moveInDate: string;
  holdExpiresAt: Date;
}

export interface BoardBlock {
  id: string;
  status: BlockStatus;
  reason: BlockReason;
  note: string;
  startsAt: Date;
  endsAt: Date | null;
}

export interface BoardUnit {
  code: string;
  floor: number;
  status: UnitStatus;
  statusChangedAt: Date;
  unitTypeCode: string;
  /** the unit's live booking (tentative, confirmed or fulfilled), if any */
  booking: BoardBooking | null;
  /** ACTIVE first, then SCHEDULED by start */
  blocks: BoardBlock[];
}

/** How many units of one type are in each status, under the filters other than status. */
export interface BoardTypeCounts extends PoolCounters {
  unitTypeCode: string;
  /** 0 unless retired units are listed (includeRetired); then `total` counts them too */
  retired: number;
}

export interface FacilityBoard {
  /** the facility's id, for permission checks per facility (can(user, perm, facilityId)) */
  facilityId: string;
  facility: FacilityInventory;
  /** one page of units, in board order (unit type smallest first, then code as staff walk them) */
  units: BoardUnit[];
  /** counts per unit type and status of the units matching type, floor and code (not status) */
  counts: BoardTypeCounts[];
  /** how many units match every filter (the pages together) */
  matchedCount: number;
  /** how many units the facility has before the filters (retired ones only with includeRetired) */
  unfilteredCount: number;
  /** the floors the facility's units are on, for the floor filter */
  floors: number[];
  /** how many matching units come before this page (the page shows units pageStart+1 …) */
  pageStart: number;
  /** the code to page after for the next page, or null on the last page */
  nextCursor: string | null;
  /** the code to page before for the previous page, or null on the first page */
  prevCursor: string | null;
  asOf: Date;
}

interface PageRow {
  id: string;
  code: string;
  floor: number;
  status: UnitStatus;
  status_changed_at: Date;
  unit_type_code: string;
  reference: string | null;
  booking_status: BookingStatus | null;
  customer_name: string | null;
  move_in_date: Date | null;
  hold_expires_at: Date | null;
  partner_code: string | null;
  blocks: { id: string; status: BlockStatus; reason: BlockReason; note: string; startsAt: string; endsAt: string | null }[];
}

function toBoardUnit(row: PageRow, now: Date): BoardUnit {
  return {
    code: row.code,
    floor: row.floor,
    status: row.status,
    statusChangedAt: row.status_changed_at,
    unitTypeCode: row.unit_type_code,
    booking:
      row.reference && row.booking_status && row.hold_expires_at && row.move_in_date
        ? {
            reference: row.reference,
            status: effectiveStatus({ status: row.booking_status, holdExpiresAt: row.hold_expires_at }, now),
            partnerCode: row.partner_code ?? "",
            customerName: row.customer_name ?? "",
            moveInDate: row.move_in_date.toISOString().slice(0, 10),
            holdExpiresAt: row.hold_expires_at,
          }
        : null,
    // ACTIVE first, then SCHEDULED by start (the statement's order)
    blocks: row.blocks.map((block) => ({ ...block, startsAt: new Date(block.startsAt), endsAt: block.endsAt ? new Date(block.endsAt) : null })),
  };
}

/** Resolves a facility code within the actor's scope to its id; NOT_FOUND outside it. */
export async function facilityIdInScope(actor: Actor, facilityCode: string): Promise<{ id: string; code: string; timezone: string }> {
  const facility = await getDb().facility.findFirst({
    where: { code: facilityCode, ...facilitiesInScope(actor) },
    select: { id: true, code: true, timezone: true },
  });
  if (!facility) throw notFound("Facility", facilityCode);
  return facility;
}

/**
 * The board's order as one key per unit, compared byte-wise: the unit type's area, its
 * code, then the unit code's natural key (units.code_sort_key, natural_sort_key(code) kept with the row: "A-9" before "A-10").
 */
const ORDER_KEY = P.sql`(lpad(to_char(ut.area_sq_ft, 'FM0000000.0'), 9, '0') || ' ' || ut.code || ' ' || u.code_sort_key) COLLATE "C"`;

function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function getFacilityBoard(actor: Actor, rawInput: FacilityBoardInput, now = new Date()): Promise<FacilityBoard> {
  const input = parseOrRefuse(FacilityBoardInput, rawInput);
  const db = getDb();
  // One round of statements in parallel: the facility is named by its code and the actor's
  // scope in each (getFacilityPools refuses a facility outside it with NOT_FOUND).
  const facilityId = P.sql`(SELECT f.id FROM facilities f WHERE f.code = ${input.facilityCode} ${scopeSql(actor, P.sql`f.id`)})`;
  // a RETIRED unit is off the board (docs/domain.md#catalogue); the catalogue lists it
  const listed = input.includeRetired ? P.empty : P.sql`AND u.status <> 'RETIRED'`;
  const base = P.sql`u.facility_id = ${facilityId} ${listed}
    ${input.unitType ? P.sql`AND ut.code = ${input.unitType}` : P.empty}
    ${input.floor !== undefined ? P.sql`AND u.floor = ${input.floor}` : P.empty}
    ${input.code ? P.sql`AND u.code ILIKE ${likePattern(input.code)}` : P.empty}`;
  const statusFilter = input.status?.length ? P.sql`AND u.status::text = ANY(${[...input.status]}::text[])` : P.empty;
  const cursor = input.after ?? input.before;
  const backwards = Boolean(input.before);
  // Keyset: the key of the cursor's unit (its code is unique in the facility), then the units past it.
  const keyset = cursor
    ? P.sql`AND ${ORDER_KEY} ${backwards ? P.sql`<` : P.sql`>`} (SELECT ${ORDER_KEY} FROM units u JOIN unit_types ut ON ut.id = u.unit_type_id WHERE u.facility_id = ${facilityId} AND u.code = ${cursor})`
    : P.empty;
  // One statement for the page: the keyset page of ids first, then those units, each with its
  // live booking (at most one: bookings_one_live_per_unit) and its active or scheduled blocks.
  // Without a code filter the page's ids are picked from the columns of
  // units (facility_id, unit_type_id, status, floor, code_sort_key, id) alone (an index-only
  // scan), and only the page's units are read from the table (docs/performance.md#inventory-board).
  const [facility, page, counts, floors, [beforeCursor]] = await Promise.all([
    getFacilityPools(actor, input.facilityCode),
    db.$queryRaw<PageRow[]>`
      WITH page AS MATERIALIZED (
        SELECT u.id, ut.code AS unit_type_code, ${ORDER_KEY} AS sort_key
        FROM units u JOIN unit_types ut ON ut.id = u.unit_type_id
        WHERE ${base} ${statusFilter} ${keyset}
        ORDER BY ${ORDER_KEY} ${backwards ? P.sql`DESC` : P.sql`ASC`}
        LIMIT ${input.limit + 1}
      )
      SELECT page.id, pu.code, pu.floor, pu.status, pu.status_changed_at, page.unit_type_code,
        b.reference, b.status AS booking_status, b.customer_name, b.move_in_date, b.hold_expires_at, p.code AS partner_code,
        (SELECT coalesce(json_agg(json_build_object('id', mb.id, 'status', mb.status, 'reason', mb.reason, 'note', mb.note, 'startsAt', mb.starts_at, 'endsAt', mb.ends_at)
                ORDER BY mb.status = 'ACTIVE' DESC, mb.starts_at), '[]'::json)
           FROM maintenance_blocks mb WHERE mb.unit_id = page.id AND mb.status IN ('ACTIVE', 'SCHEDULED')) AS blocks
      FROM page
      JOIN units pu ON pu.id = page.id
      LEFT JOIN bookings b ON b.unit_id = page.id AND b.status = ANY(${[...LIVE_STATUSES]}::"BookingStatus"[])
      LEFT JOIN partners p ON p.id = b.partner_id
      ORDER BY page.sort_key ${backwards ? P.sql`DESC` : P.sql`ASC`}`,
    db.$queryRaw<{ unit_type_code: string; status: UnitStatus; n: number }[]>`
      SELECT ut.code AS unit_type_code, u.status, count(*)::int AS n
      FROM units u JOIN unit_types ut ON ut.id = u.unit_type_id
      WHERE ${base}
      GROUP BY ut.code, u.status`,
    db.$queryRaw<{ facility_id: string; floor: number; n: number }[]>`
      SELECT u.facility_id::text, u.floor, count(*)::int AS n FROM units u WHERE u.facility_id = ${facilityId} ${listed} GROUP BY 1, 2 ORDER BY 2`,
    // how many matching units come before the cursor (the page starts there, or ends there going backwards)
    cursor
      ? db.$queryRaw<{ n: number }[]>`
          SELECT count(*)::int AS n FROM units u JOIN unit_types ut ON ut.id = u.unit_type_id
          WHERE ${base} ${statusFilter} AND ${ORDER_KEY} ${backwards ? P.sql`<` : P.sql`<=`} (SELECT ${ORDER_KEY} FROM units u JOIN unit_types ut ON ut.id = u.unit_type_id WHERE u.facility_id = ${facilityId} AND u.code = ${cursor})`
      : Promise.resolve([{ n: 0 }]),
  ]);
  const more = page.length > input.limit;
  const pageRows = page.slice(0, input.limit);
  if (backwards) pageRows.reverse();
  const units = pageRows.map((row) => toBoardUnit(row, now));
  const fewer = page.length <= input.limit;
  // backwards, the page ends at the cursor: it starts its length before (or at 0, the first page)
  const pageStart = backwards ? (fewer ? 0 : Math.max(0, (beforeCursor?.n ?? 0) - units.length)) : (beforeCursor?.n ?? 0);
  const id = floors[0]?.facility_id ?? (await facilityIdInScope(actor, input.facilityCode)).id;

  const typeCounts = new Map<string, BoardTypeCounts>();
  for (const row of counts) {
    const entry = typeCounts.get(row.unit_type_code) ?? { unitTypeCode: row.unit_type_code, total: 0, available: 0, held: 0, booked: 0, occupied: 0, blocked: 0, retired: 0 };
    entry.total += row.n;
    const key = row.status.toLowerCase() as Exclude<keyof BoardTypeCounts, "unitTypeCode" | "total">;
    if (key in entry) entry[key] += row.n;
    typeCounts.set(row.unit_type_code, entry);
  }
  const order = facility.pools.map((pool) => pool.unitTypeCode);
  const countsInOrder = [...typeCounts.values()].sort((a, b) => order.indexOf(a.unitTypeCode) - order.indexOf(b.unitTypeCode));
  const statuses: readonly ListedStatus[] = input.status?.length ? input.status : input.includeRetired ? LISTED_STATUSES : UNIT_STATUSES;
  const countOf = (c: BoardTypeCounts, s: ListedStatus) => c[s.toLowerCase() as Lowercase<typeof s>];
  let matchedCount = 0;
  for (const c of countsInOrder) for (const s of statuses) matchedCount += countOf(c, s);
  const first = units[0]?.code ?? null;
  const last = units.at(-1)?.code ?? null;
  return {
    facilityId: id,
    facility,
    units,
    counts: countsInOrder,
    matchedCount,
    unfilteredCount: floors.reduce((sum, f) => sum + f.n, 0),
    floors: floors.map((f) => f.floor),
    pageStart,
    // forwards: more past this page means a next one; a cursor means a page before it (and backwards, the mirror)
    nextCursor: backwards ? (input.before ? last : null) : more ? last : null,
    prevCursor: backwards ? (more ? first : null) : input.after && pageStart > 0 ? first : null,
    asOf: now,
  };
}
