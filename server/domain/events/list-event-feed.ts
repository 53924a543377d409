import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { PUBLIC_AGGREGATE_TYPES } from "@/server/domain/shared/events";
import { DomainError } from "@/server/domain/shared/errors";
import { horizonSql, IN_FLIGHT_SQL, inFlightFromRow } from "./outbox-horizon";

export interface FeedEvent {
  id: string;
  type: string;
  schemaVersion: number;
  createdAt: Date;
  correlationId: string | null;
  aggregateVersion: number;
  data: unknown;
}

/**
 * The event feed (GET /api/v1/events): ordered, resumable after any event id.
 *
 * Events are ordered by (transaction id, sequence), and only events below the outbox
 * horizon are served: older than every transaction of this database that may still write
 * one (./outbox-horizon.ts, docs/webhooks.md#the-outbox-horizon). A transaction that
 * commits later always has a larger id than anything served, so a consumer resuming from
 * its last event never skips one — which ordering by sequence alone cannot promise.
 *
 * A partner sees inventory events of the facilities its key may see, and the booking
 * events of its own bookings.
 */
export async function listEventFeed(actor: Actor, options: { after?: string; limit: number }): Promise<FeedEvent[]> {
  const db = getDb();
  let cursor = { txid: -1n, seq: -1n };
  if (options.after) {
    const found = await db.event.findUnique({ where: { id: options.after }, select: { txid: true, seq: true } });
    if (!found) throw new DomainError("NOT_FOUND", `Event ${options.after} was not found.`, { after: options.after });
    cursor = found;
  }
  const partnerId = actor.type === "PARTNER" ? actor.id : null;
  // Step 1 of the horizon: a statement of its own, before the one that reads the events.
  const [running] = await db.$queryRawUnsafe<{ next_xid: string; xids: string[] }[]>(IN_FLIGHT_SQL);
  const inFlight = inFlightFromRow(running!);
  const rows = await db.$queryRaw<
    {
      id: string;
      type: string;
      schema_version: number;
      created_at: Date;
      correlation_id: string | null;
      aggregate_version: number;
      data: unknown;
    }[]
  >`
    SELECT id, type, schema_version, created_at, correlation_id, aggregate_version, data
    FROM events
    WHERE (txid, seq) > (${cursor.txid}, ${cursor.seq})
      AND txid < ${horizonSql(inFlight)}
      ${scopeSql(actor, Prisma.sql`facility_id`)}
      AND (
        ${partnerId}::uuid IS NULL
        OR aggregate_type = ANY(${[...PUBLIC_AGGREGATE_TYPES]}::text[])
        OR partner_id = ${partnerId}::uuid
      )
    ORDER BY txid, seq
    LIMIT ${options.limit}`;
  return rows.map((r) => ({
    id: r.id,
    type: r.type,
    schemaVersion: r.schema_version,
    createdAt: r.created_at,
    correlationId: r.correlation_id,
    aggregateVersion: r.aggregate_version,
    data: r.data,
  }));
}
