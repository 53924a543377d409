import crypto from "node:crypto";
import type { FeedEvent } from "../../events/list-event-feed";
import { asyncCommitPool, inAsyncCommitTransaction, iso, prepared } from "@/server/domain/shared/async-commit-db";
import type { EndpointSecrets } from "./signing";

/**
 * Claiming deliveries: a claim is a lease. The claimer sets locked_until (and moves
 * next_attempt_at there, so the delivery is due again by itself if the claimer dies) and
 * a fresh lease_token that must still match when the outcome is written. A per-endpoint
 * limit (webhook_endpoints.max_concurrency) holds across every worker process: leases
 * not yet expired are the endpoint's requests in flight.
 */

export const ENDPOINT_LOCK_NAMESPACE = 0x4846_0002;
/** endpoints looked at per claim; picked at random so no endpoint starves another */
const ENDPOINTS_PER_CLAIM = 64;

export type DeliveryStatus = "PENDING" | "RETRYING" | "SUCCEEDED" | "DEAD";

export interface ClaimedDelivery {
  id: string;
  endpointId: string;
  status: DeliveryStatus;
  /** attempts made before this one */
  attemptCount: number;
  leaseToken: string;
  leaseUntil: Date;
  event: FeedEvent & { aggregateType: string; aggregateId: string };
  endpoint: { url: string; secrets: EndpointSecrets };
}

const CLAIM_RETURNING = `
  d.id, d.endpoint_id, d.status::text AS status, d.attempt_count,
  e.id AS event_id, e.type, e.schema_version, e.created_at AS event_created_at, e.correlation_id,
  e.aggregate_version, e.aggregate_type, e.aggregate_id, e.data,
  ep.url, ep.secret_ciphertext, ep.secret_version, ep.previous_secret_ciphertext, ep.previous_secret_expires_at`;

type ClaimRow = {
  id: string;
  endpoint_id: string;
  status: DeliveryStatus;
  attempt_count: number;
  event_id: string;
  type: string;
  schema_version: number;
  event_created_at: Date;
  correlation_id: string | null;
  aggregate_version: number;
  aggregate_type: string;
  aggregate_id: string;
  data: unknown;
  url: string;
  secret_ciphertext: string;
  secret_version: number;
  previous_secret_ciphertext: string | null;
  previous_secret_expires_at: Date | null;
};

function toClaimed(row: ClaimRow, leaseToken: string, leaseUntil: Date): ClaimedDelivery {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    status: row.status,
    attemptCount: row.attempt_count,
    leaseToken,
    leaseUntil,
    event: {
      id: row.event_id,
      type: row.type,
      schemaVersion: row.schema_version,
      createdAt: row.event_created_at,
      correlationId: row.correlation_id,
      aggregateVersion: row.aggregate_version,
      aggregateType: row.aggregate_type,
      aggregateId: row.aggregate_id,
      data: row.data,
    },
    endpoint: {
      url: row.url,
      secrets: {
        secretCiphertext: row.secret_ciphertext,
        secretVersion: row.secret_version,
        previousSecretCiphertext: row.previous_secret_ciphertext,
        previousSecretExpiresAt: row.previous_secret_expires_at,
      },
    },
  };
}

/**
 * Claims up to `limit` due deliveries of ACTIVE, unthrottled endpoints, at most each
 * endpoint's free slots (max_concurrency − leases in force).
 *
 * Two statements: the first takes a transaction-scoped advisory lock per endpoint (other
 * claimers skip those endpoints rather than wait); the second — with a snapshot taken
 * after the locks are held, so it sees every lease the previous holder committed —
 * counts the endpoint's leases in force and leases that many more. Reading the count in
 * the locking statement could miss leases committed while it waited for nothing, and
 * overshoot the limit.
 */
export async function claimDueDeliveries(options: { limit: number; now: Date; leaseMs: number }): Promise<ClaimedDelivery[]> {
  if (options.limit <= 0) return [];
  const { now } = options;
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const token = crypto.randomUUID();
  const rows = await inAsyncCommitTransaction(async (tx) => {
    const { rows: endpoints } = await prepared<{ id: string }>(
      tx,
      "claim_endpoints",
      `SELECT c.id FROM (
         SELECT ep.id FROM webhook_endpoints ep
         WHERE ep.status = 'ACTIVE' AND ep.deleted_at IS NULL
           AND (ep.throttled_until IS NULL OR ep.throttled_until <= $1)
           AND EXISTS (
             SELECT 1 FROM webhook_deliveries d
             WHERE d.endpoint_id = ep.id AND d.status IN ('PENDING', 'RETRYING') AND d.next_attempt_at <= $1)
           AND (SELECT count(*) FROM webhook_deliveries f WHERE f.endpoint_id = ep.id AND f.locked_until > $1) < ep.max_concurrency
         ORDER BY random()
         LIMIT $2
       ) c
       WHERE pg_try_advisory_xact_lock($3::int, hashtext(c.id))`,
      [iso(now), ENDPOINTS_PER_CLAIM, ENDPOINT_LOCK_NAMESPACE],
    );
    if (!endpoints.length) return [];
    const { rows: claimed } = await prepared<ClaimRow>(
      tx,
      "claim_deliveries",
      `WITH cap AS (
         SELECT ep.id,
                ep.max_concurrency - (
                  SELECT count(*) FROM webhook_deliveries f WHERE f.endpoint_id = ep.id AND f.locked_until > $1
                )::int AS free
         FROM webhook_endpoints ep
         WHERE ep.id = ANY($2::text[]) AND ep.status = 'ACTIVE' AND ep.deleted_at IS NULL
       ), picked AS (
         SELECT p.id FROM cap CROSS JOIN LATERAL (
           SELECT d.id FROM webhook_deliveries d
           WHERE d.endpoint_id = cap.id AND d.status IN ('PENDING', 'RETRYING') AND d.next_attempt_at <= $1
           ORDER BY d.next_attempt_at
           LIMIT greatest(cap.free, 0)
           FOR UPDATE OF d SKIP LOCKED
         ) p
         LIMIT $3
       )
       UPDATE webhook_deliveries d
       SET locked_until = $4, next_attempt_at = $4, lease_token = $5::uuid
       FROM events e, webhook_endpoints ep
       -- = ANY(ARRAY(…)): an index lookup per picked id, never a scan of the whole table
       WHERE d.id = ANY(ARRAY(SELECT id FROM picked)) AND e.id = d.event_id AND ep.id = d.endpoint_id
       RETURNING ${CLAIM_RETURNING}`,
      [iso(now), endpoints.map((e) => e.id), options.limit, iso(leaseUntil), token],
    );
    return claimed;
  });
  return rows.map((row) => toClaimed(row, token, leaseUntil));
}

export type ClaimOneResult =
  | { kind: "claimed"; delivery: ClaimedDelivery }
  | { kind: "not_found" }
  | { kind: "in_flight" };

/**
 * Leases one delivery whatever its status (a replay may re-send a SUCCEEDED or DEAD one),
 * unless another attempt holds it or its endpoint was deleted. A delivery in the retry
 * schedule keeps its place: its next_attempt_at moves to the lease's end, as a claim does.
 */
export async function claimDelivery(deliveryId: string, options: { now: Date; leaseMs: number }): Promise<ClaimOneResult> {
  const { now } = options;
  const leaseUntil = new Date(now.getTime() + options.leaseMs);
  const token = crypto.randomUUID();
  const { rows } = await asyncCommitPool().query<ClaimRow>(
    `UPDATE webhook_deliveries d
     SET locked_until = $2, lease_token = $3::uuid,
         next_attempt_at = CASE WHEN d.next_attempt_at IS NOT NULL AND d.status IN ('PENDING', 'RETRYING')
                                THEN $2::timestamptz ELSE d.next_attempt_at END
     FROM events e, webhook_endpoints ep
     WHERE d.id = $1 AND e.id = d.event_id AND ep.id = d.endpoint_id AND ep.deleted_at IS NULL
       AND (d.locked_until IS NULL OR d.locked_until <= $4)
     RETURNING ${CLAIM_RETURNING}`,
    [deliveryId, iso(leaseUntil), token, iso(now)],
  );
  if (rows[0]) return { kind: "claimed", delivery: toClaimed(rows[0], token, leaseUntil) };
  const { rows: exists } = await asyncCommitPool().query<{ found: boolean }>(
    `SELECT EXISTS (
       SELECT 1 FROM webhook_deliveries d JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
       WHERE d.id = $1 AND ep.deleted_at IS NULL
     ) AS found`,
    [deliveryId],
  );
  return exists[0]?.found ? { kind: "in_flight" } : { kind: "not_found" };
}
