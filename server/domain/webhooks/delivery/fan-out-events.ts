import crypto from "node:crypto";
import { horizonText, IN_FLIGHT_SQL, inFlightFromRow, type InFlight } from "@/server/domain/events/outbox-horizon";
import { PUBLIC_AGGREGATE_TYPES } from "@/server/domain/shared/events";
import { newId } from "@/server/domain/shared/ids";
import { ENDPOINT_LOCK_NAMESPACE, type ClaimedDelivery } from "./claim-deliveries";
import { asyncCommitPool, inAsyncCommitTransaction, iso, prepared } from "@/server/domain/shared/async-commit-db";

/**
 * The outbox's fan-out: committed events → one WebhookDelivery per subscribed endpoint.
 *
 * It reads the events table in (txid, seq) order from a stored cursor, and only events
 * of transactions older than every transaction still running — the event feed's rule —
 * so an event is never seen before its transaction commits, one whose transaction rolled
 * back never exists, and one that commits later than a higher-numbered one is never
 * skipped. Nothing runs in the transactions that write events (the hot path), and no
 * trigger or job row per event is needed: inventory.updated is written inside one CTE
 * with its pool change, and every event of every writer reaches the table the same way.
 *
 * The horizon is computed from this database's transactions only
 * (server/domain/events/outbox-horizon.ts, docs/webhooks.md#the-outbox-horizon): a long
 * transaction in another database, or a read-only one in this, delays nothing; one of this
 * database that has written and stays open delays the fan-out (never loses or reorders an
 * event) for as long as it stays open, which holdfast_outbox_horizon_age_seconds shows.
 *
 * One process fans out at a time (a transaction-scoped advisory lock; the others skip),
 * the deliveries and the cursor's move commit together, and (endpoint, event) is
 * unique, so a crash at any point neither loses nor doubles a delivery.
 */

/** pg advisory lock namespace (two-int form): "HF" + 1 = the fan-out, + 2 = endpoint claims */
const FANOUT_LOCK = [0x4846_0001, 1] as const;
const DEFAULT_FANOUT_BATCH = 500;
const MAX_DELIVERIES_PER_PASS = 5000;

export interface OutboxEvent {
  id: string;
  type: string;
  aggregateType: string;
  partnerId: string | null;
  createdAt: Date;
}

export interface SubscriberEndpoint {
  id: string;
  partnerId: string;
  eventTypes: readonly string[];
  createdAt: Date;
}

/**
 * Whether an endpoint receives an event: it subscribed to the type (none listed = all),
 * the event is not older than the endpoint, and the partner may see it — inventory, unit
 * and catalogue events (PUBLIC_AGGREGATE_TYPES) go to every partner (as on the event feed; partners themselves have no
 * facility limits, their keys do), booking and access events only to the partner whose
 * booking it is.
 */
export function endpointSubscribes(endpoint: SubscriberEndpoint, event: OutboxEvent): boolean {
  if (endpoint.eventTypes.length > 0 && !endpoint.eventTypes.includes(event.type)) return false;
  if (event.createdAt.getTime() < endpoint.createdAt.getTime()) return false;
  if ((PUBLIC_AGGREGATE_TYPES as readonly string[]).includes(event.aggregateType)) return true;
  return event.partnerId !== null && event.partnerId === endpoint.partnerId;
}

export interface FanOutResult {
  /** events the cursor moved past */
  events: number;
  /** deliveries created */
  deliveries: number;
  /** another process holds the fan-out */
  busy: boolean;
  /** where the cursor is now (null when busy) */
  cursor: FanOutCursor | null;
  /** new deliveries leased to the caller (FanOutOptions.lease), to attempt now */
  leased: ClaimedDelivery[];
}

/** (txid, seq) of the last event fanned out; int8 values, kept as the driver's strings */
export interface FanOutCursor {
  txid: string;
  seq: string;
}

/**
 * A cheap probe (one indexed read, no transaction): is there a committed event past the
 * cursor? Lets an idle dispatcher poll often without opening a transaction each time.
 */
/** Step 1 of the horizon, on its own connection and outside any transaction. */
async function readInFlight(): Promise<InFlight> {
  const { rows } = await prepared<{ next_xid: string; xids: string[] }>(asyncCommitPool(), "in_flight", IN_FLIGHT_SQL);
  return inFlightFromRow(rows[0]!);
}

export async function hasEventsToFanOut(): Promise<boolean> {
  const inFlight = await readInFlight();
  // ORDER BY (txid, seq) LIMIT 1, not EXISTS: the planner then walks the (txid, seq)
  // index from the cursor instead of gambling on a scan of the whole events table; and
  // the cursor comes in as scalar subqueries (a join would hide the bound from the index).
  const { rows } = await prepared(
    asyncCommitPool(),
    "probe",
    `SELECT 1 FROM events
     WHERE (txid, seq) > ((SELECT last_txid FROM webhook_fanout_cursor WHERE id = 1),
                          (SELECT last_seq FROM webhook_fanout_cursor WHERE id = 1))
       AND txid < ${horizonText(1, 2)}
     ORDER BY txid, seq
     LIMIT 1`,
    [inFlight.xids, inFlight.nextXid],
  );
  return rows.length > 0;
}

export interface FanOutOptions {
  limit?: number;
  now?: Date;
  /**
   * Lease up to `max` of the new deliveries to the caller at once (within each endpoint's
   * free slots, as a claim would), so a dispatcher attempts them straight after this
   * commits instead of claiming them in another transaction. The rest stay due for any
   * dispatcher's claim.
   */
  lease?: { max: number; leaseMs: number };
}

type EventRow = {
  id: string;
  txid: string;
  seq: string;
  type: string;
  schema_version: number;
  aggregate_type: string;
  aggregate_id: string;
  aggregate_version: number;
  partner_id: string | null;
  correlation_id: string | null;
  data: unknown;
  created_at: Date;
};

type EndpointRow = {
  id: string;
  partner_id: string;
  event_types: string[];
  created_at: Date;
  url: string;
  max_concurrency: number;
  throttled_until: Date | null;
  secret_ciphertext: string;
  secret_version: number;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | null;
};

/** Fans out up to `limit` events past the cursor; idempotent, safe to run anywhere, any time. */
export async function fanOutEvents(options: FanOutOptions = {}): Promise<FanOutResult> {
  const limit = options.limit ?? DEFAULT_FANOUT_BATCH;
  const now = options.now ?? new Date();
  const inFlight = await readInFlight();
  return inAsyncCommitTransaction(async (tx): Promise<FanOutResult> => {
    const { rows: lock } = await tx.query<{ locked: boolean }>(`SELECT pg_try_advisory_xact_lock($1::int, $2::int) AS locked`, [
      FANOUT_LOCK[0],
      FANOUT_LOCK[1],
    ]);
    if (!lock[0]?.locked) return { events: 0, deliveries: 0, busy: true, cursor: null, leased: [] };

    const { rows: cursors } = await tx.query<{ last_txid: string; last_seq: string }>(
      `SELECT last_txid, last_seq FROM webhook_fanout_cursor WHERE id = 1`,
    );
    const cursor = cursors[0];
    if (!cursor) throw new Error("webhook_fanout_cursor has no row: is the database migrated?");
    const { rows: events } = await prepared<EventRow>(
      tx,
      "fanout_events",
      `SELECT id, txid, seq, type, schema_version, aggregate_type, aggregate_id, aggregate_version, partner_id, correlation_id,
              data, created_at
       FROM events
       WHERE (txid, seq) > ($1::bigint, $2::bigint)
         AND txid < ${horizonText(4, 5)}
       ORDER BY txid, seq
       LIMIT $3`,
      [cursor.last_txid, cursor.last_seq, limit, inFlight.xids, inFlight.nextXid],
    );
    const at = { txid: cursor.last_txid, seq: cursor.last_seq };
    if (!events.length) return { events: 0, deliveries: 0, busy: false, cursor: at, leased: [] };

    const { rows: endpointRows } = await prepared<EndpointRow>(
      tx,
      "fanout_endpoints",
      `SELECT id, partner_id, event_types, created_at, url, max_concurrency, throttled_until, secret_ciphertext, secret_version,
              previous_secret_ciphertext, previous_secret_expires_at
       FROM webhook_endpoints WHERE status = 'ACTIVE' AND deleted_at IS NULL`,
    );
    const endpoints = endpointRows.map((e) => ({ id: e.id, partnerId: e.partner_id, eventTypes: e.event_types, createdAt: e.created_at }));

    const pairs: { id: string; endpoint: EndpointRow; event: EventRow }[] = [];
    // Bounded work per transaction however many endpoints there are: stop after the event
    // that takes the batch past MAX_DELIVERIES_PER_PASS; the cursor stops there too.
    let taken = 0;
    for (const row of events) {
      if (pairs.length >= MAX_DELIVERIES_PER_PASS) break;
      taken++;
      const event: OutboxEvent = {
        id: row.id,
        type: row.type,
        aggregateType: row.aggregate_type,
        partnerId: row.partner_id,
        createdAt: row.created_at,
      };
      endpoints.forEach((endpoint, i) => {
        if (endpointSubscribes(endpoint, event)) pairs.push({ id: newId("msg", now.getTime()), endpoint: endpointRows[i]!, event: row });
      });
    }

    // Which new deliveries the caller takes at once: per endpoint, its free slots (the
    // same advisory lock and fresh count as claimDueDeliveries), oldest events first.
    const leaseToken = crypto.randomUUID();
    const leaseUntil = options.lease ? new Date(now.getTime() + options.lease.leaseMs) : null;
    const leasedIds = new Set<string>();
    if (options.lease && options.lease.max > 0 && pairs.length) {
      const wanted = [...new Set(pairs.map((p) => p.endpoint.id))]
        .filter((id) => {
          const t = endpointRows.find((e) => e.id === id)!.throttled_until;
          return !t || t <= now;
        })
        .sort();
      const locked = wanted.length
        ? (
            await tx.query<{ id: string }>(
              `SELECT id FROM unnest($1::text[]) AS id WHERE pg_try_advisory_xact_lock($2::int, hashtext(id))`,
              [wanted, ENDPOINT_LOCK_NAMESPACE],
            )
          ).rows
        : [];
      if (locked.length) {
        // A statement of its own, after the locks: its snapshot sees every lease committed before them.
        const { rows: inFlight } = await prepared<{ id: string; in_flight: number }>(
          tx,
          "fanout_in_flight",
          `SELECT ep.id, (SELECT count(*) FROM webhook_deliveries f WHERE f.endpoint_id = ep.id AND f.locked_until > $2)::int AS in_flight
           FROM unnest($1::text[]) AS ep(id)`,
          [locked.map((l) => l.id), iso(now)],
        );
        const free = new Map(inFlight.map((r) => [r.id, endpointRows.find((e) => e.id === r.id)!.max_concurrency - r.in_flight]));
        let budget = options.lease.max;
        for (const pair of pairs) {
          if (budget <= 0) break;
          const slots = free.get(pair.endpoint.id) ?? 0;
          if (slots <= 0) continue;
          free.set(pair.endpoint.id, slots - 1);
          leasedIds.add(pair.id);
          budget--;
        }
      }
    }

    let inserted = new Set<string>();
    if (pairs.length) {
      const { rows } = await prepared<{ id: string }>(
        tx,
        "fanout_insert",
        `INSERT INTO webhook_deliveries (id, endpoint_id, event_id, status, next_attempt_at, locked_until, lease_token, created_at, facility_id)
         SELECT d.id, d.endpoint_id, d.event_id, 'PENDING',
                CASE WHEN d.leased THEN $5::timestamptz ELSE $7::timestamptz END,
                CASE WHEN d.leased THEN $5::timestamptz END,
                CASE WHEN d.leased THEN $6::uuid END,
                $7::timestamptz, e.facility_id
         FROM unnest($1::text[], $2::text[], $3::text[], $4::boolean[]) AS d(id, endpoint_id, event_id, leased)
         JOIN events e ON e.id = d.event_id
         ON CONFLICT (endpoint_id, event_id) DO NOTHING
         RETURNING id`,
        [
          pairs.map((p) => p.id),
          pairs.map((p) => p.endpoint.id),
          pairs.map((p) => p.event.id),
          pairs.map((p) => leasedIds.has(p.id)),
          iso(leaseUntil),
          leaseToken,
          iso(now),
        ],
      );
      inserted = new Set(rows.map((r) => r.id));
    }
    const last = events[taken - 1]!;
    await tx.query(`UPDATE webhook_fanout_cursor SET last_txid = $1, last_seq = $2, updated_at = now() WHERE id = 1`, [last.txid, last.seq]);
    const leased: ClaimedDelivery[] = pairs
      .filter((p) => leasedIds.has(p.id) && inserted.has(p.id))
      .map(({ id, endpoint, event }) => ({
        id,
        endpointId: endpoint.id,
        status: "PENDING",
        attemptCount: 0,
        leaseToken,
        leaseUntil: leaseUntil!,
        event: {
          id: event.id,
          type: event.type,
          schemaVersion: event.schema_version,
          createdAt: event.created_at,
          correlationId: event.correlation_id,
          aggregateVersion: event.aggregate_version,
          aggregateType: event.aggregate_type,
          aggregateId: event.aggregate_id,
          data: event.data,
        },
        endpoint: {
          url: endpoint.url,
          secrets: {
            secretCiphertext: endpoint.secret_ciphertext,
            secretVersion: endpoint.secret_version,
            previousSecretCiphertext: endpoint.previous_secret_ciphertext,
            previousSecretExpiresAt: endpoint.previous_secret_expires_at,
          },
        },
      }));
    return { events: taken, deliveries: inserted.size, busy: false, cursor: { txid: last.txid, seq: last.seq }, leased };
  });
}

/**
 * Fans out every event committed before the call, waiting (up to `timeoutMs`) for any
 * that are still behind the horizon — for tools and tests that need "everything so far",
 * where the dispatcher would simply look again on its next poll.
 */
export async function fanOutCommitted(options: { now?: Date; timeoutMs?: number } = {}): Promise<number> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  let deliveries = 0;
  for (;;) {
    const result = await fanOutEvents({ now: options.now });
    deliveries += result.deliveries;
    if (result.events > 0 || result.busy) continue;
    const { rows } = await asyncCommitPool().query(
      `SELECT 1 FROM events
       WHERE (txid, seq) > ((SELECT last_txid FROM webhook_fanout_cursor WHERE id = 1),
                            (SELECT last_seq FROM webhook_fanout_cursor WHERE id = 1))
       LIMIT 1`,
    );
    if (!rows.length) return deliveries;
    if (Date.now() > deadline) throw new Error("Committed events are still behind the fan-out horizon: a long transaction is open.");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
