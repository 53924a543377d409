import { Prisma } from "../../generated/prisma/client";
import { EVENT_TYPES, type EventType } from "@/shared/event-types";
import { newId } from "./ids";
import type { Tx } from "./tx";
import { unnestFrom, unnestValues, type UnnestColumn } from "./unnest";

export { EVENT_TYPES, type EventType };

/**
 * The one writer of `events`, the outbox (docs/conventions.md#transactions-events-and-audit):
 * `appendEvent` (one), `appendEvents` (many, one statement), and `insertEventFrom` for a
 * statement that computes its event from the rows it changes (a unit's transition). A
 * structure test (append-only-writers.test.ts) refuses any other insert.
 */

/**
 * Aggregates whose events every partner may see (within its key's facility limits), on the
 * feed and by webhook: inventory, units and the catalogue. Booking and access events go
 * only to the booking's partner.
 */
export const PUBLIC_AGGREGATE_TYPES = ["pool", "unit", "facility", "unit_type"] as const;

export interface NewEvent {
  type: EventType;
  aggregateType: "booking" | (typeof PUBLIC_AGGREGATE_TYPES)[number];
  aggregateId: string;
  aggregateVersion: number;
  facilityId?: string | null;
  partnerId?: string | null;
  bookingId?: string | null;
  correlationId: string;
  data: Record<string, unknown>;
  /** for the seed's simulated clock; defaults to the database's now() */
  createdAt?: Date;
}

type EventRow = NewEvent & { id: string };

/** Each column once: the event's field that fills it, and its type. */
const COLUMNS: readonly (UnnestColumn<EventRow> & { field: keyof EventRow; defaultNow?: true })[] = [
  { name: "id", type: "text", field: "id", value: (e) => e.id },
  { name: "type", type: "text", field: "type", value: (e) => e.type },
  { name: "aggregate_type", type: "text", field: "aggregateType", value: (e) => e.aggregateType },
  { name: "aggregate_id", type: "text", field: "aggregateId", value: (e) => e.aggregateId },
  { name: "aggregate_version", type: "int", field: "aggregateVersion", value: (e) => e.aggregateVersion },
  { name: "facility_id", type: "uuid", field: "facilityId", value: (e) => e.facilityId ?? null },
  { name: "partner_id", type: "uuid", field: "partnerId", value: (e) => e.partnerId ?? null },
  { name: "booking_id", type: "uuid", field: "bookingId", value: (e) => e.bookingId ?? null },
  { name: "correlation_id", type: "text", field: "correlationId", value: (e) => e.correlationId },
  { name: "data", type: "jsonb", field: "data", value: (e) => JSON.stringify(e.data) },
  { name: "created_at", type: "timestamptz", field: "createdAt", value: (e) => e.createdAt?.toISOString() ?? null, defaultNow: true },
];

const COLUMN_LIST = COLUMNS.map((c) => c.name).join(", ");

const INSERT_TEXT = `INSERT INTO events (${COLUMN_LIST})
  SELECT ${COLUMNS.map((c) => (c.defaultNow ? `coalesce(e.${c.name}, now())` : `e.${c.name}`)).join(", ")}
  FROM ${unnestFrom(COLUMNS, "e")}`;

/**
 * Appends events to the outbox in the caller's transaction, in one statement: they are
 * committed, or lost, together with the change they describe. Returns their ids, in order.
 */
export async function appendEvents(tx: Tx, events: readonly NewEvent[]): Promise<string[]> {
  if (!events.length) return [];
  const rows = events.map((event) => ({ ...event, id: newId("evt", event.createdAt?.getTime()) }));
  // Raw SQL: this runs inside every state change while its pool lock is held.
  await tx.$executeRawUnsafe(INSERT_TEXT, ...unnestValues(COLUMNS, rows));
  return rows.map((row) => row.id);
}

/** Appends one event to the outbox in the caller's transaction. */
export async function appendEvent(tx: Tx, event: NewEvent): Promise<string> {
  const [id] = await appendEvents(tx, [event]);
  return id!;
}

/** An event's fields as SQL expressions over the rows of a statement. */
export type EventSql = { [K in keyof EventRow]-?: Prisma.Sql };

/**
 * `INSERT INTO events … SELECT <event> FROM <from> RETURNING id`, for a statement (a
 * data-modifying CTE) whose event is computed from the rows it changes, so the event
 * costs no round trip of its own while a hot row is locked (transitionUnit).
 */
export function insertEventFrom(event: EventSql, from: Prisma.Sql): Prisma.Sql {
  const values = COLUMNS.map((c) => {
    const value = Prisma.sql`(${event[c.field]})::${Prisma.raw(c.type)}`;
    return c.defaultNow ? Prisma.sql`coalesce(${value}, now())` : value;
  });
  return Prisma.sql`INSERT INTO events (${Prisma.raw(COLUMN_LIST)}) SELECT ${Prisma.join(values)} FROM ${from} RETURNING id`;
}
