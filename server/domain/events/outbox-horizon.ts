import { Prisma } from "../../generated/prisma/client";

/**
 * The outbox horizon (docs/webhooks.md#the-outbox-horizon): the transaction id below which
 * every event is either committed and visible or will never exist, so the fan-out and the
 * event feed may serve events in (txid, seq) order up to it without ever skipping one.
 *
 * PostgreSQL's own answer, `pg_snapshot_xmin(pg_current_snapshot())`, is the oldest
 * transaction running anywhere on the server — one long transaction in another database
 * stopped every delivery. Only transactions of this database can write our events, so the
 * horizon is computed from them alone, in two steps:
 *
 * 1. `readInFlight` (a statement of its own, outside any transaction, so
 *    pg_stat_activity is read fresh): the next transaction id N, and the ids of this
 *    database's transactions that hold one (pg_stat_activity.backend_xid, and prepared
 *    transactions), widened to 64 bits.
 * 2. In the statement that reads the events (`horizonSql`), with that statement's
 *    snapshot: horizon = the least of those ids, of the snapshot's running ids ≥ N (begun
 *    after step 1: this database's or not, we cannot tell yet) and of the snapshot's xmax.
 *
 * A running id below N that step 1 did not list belongs to another database (it was
 * running during step 1, so it would have been listed). A transaction without an id
 * (read-only, in any database) never holds the horizon. What still holds it: a
 * transaction of this database that has written something and is still open, and — for
 * one poll — any transaction that began between the two steps.
 */

/** Step 1, for any client: one row `{ next_xid, xids }` (int8 values as text). */
export const IN_FLIGHT_SQL = `
  WITH s AS (SELECT pg_snapshot_xmax(pg_current_snapshot())::text::bigint AS next),
  running AS (
    SELECT backend_xid AS xid FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL
    UNION ALL
    SELECT transaction FROM pg_prepared_xacts WHERE database = current_database()
  ), widened AS (
    SELECT ((s.next >> 32) << 32) + running.xid::text::bigint AS full_xid, s.next FROM running, s
  )
  SELECT s.next::text AS next_xid,
         coalesce((SELECT array_agg((CASE WHEN full_xid >= next THEN full_xid - 4294967296 ELSE full_xid END)::text) FROM widened),
                  '{}') AS xids
  FROM s`;

export interface InFlight {
  nextXid: string;
  xids: string[];
}

export function inFlightFromRow(row: { next_xid: string; xids: string[] }): InFlight {
  return { nextXid: row.next_xid, xids: row.xids };
}

/** Step 2 as SQL text for a `pg` client: the horizon, with the in-flight ids at $xids and N at $next. */
export function horizonText(xidsParam: number, nextParam: number): string {
  return `(SELECT least(
      (SELECT min(x) FROM unnest($${xidsParam}::bigint[]) x),
      (SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) x WHERE x::text::bigint >= $${nextParam}::bigint),
      pg_snapshot_xmax(pg_current_snapshot())::text::bigint))`;
}

/** Step 2 for the Prisma client. */
export function horizonSql(inFlight: InFlight): Prisma.Sql {
  return Prisma.sql`(SELECT least(
      (SELECT min(x) FROM unnest(${inFlight.xids}::bigint[]) x),
      (SELECT min(x::text::bigint) FROM pg_snapshot_xip(pg_current_snapshot()) x WHERE x::text::bigint >= ${inFlight.nextXid}::bigint),
      pg_snapshot_xmax(pg_current_snapshot())::text::bigint))`;
}

/**
 * For the metric: how long the oldest transaction of this database that holds a
 * transaction id has been open, in seconds (0 when none) — an upper bound on how far the
 * horizon lags behind the newest committed event.
 */
export const HORIZON_AGE_SQL = `
  SELECT coalesce(extract(epoch FROM now() - min(xact_start)), 0)::float8 AS age_seconds
  FROM (SELECT xact_start FROM pg_stat_activity WHERE datname = current_database() AND backend_xid IS NOT NULL
        UNION ALL SELECT prepared FROM pg_prepared_xacts WHERE database = current_database()) t`;
