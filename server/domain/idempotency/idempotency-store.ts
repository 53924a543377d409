import { getDb } from "../../db";
import type { Tx } from "@/server/domain/shared/tx";

/**
 * Idempotency-Key records with Stripe's semantics (docs/partner-api.md#idempotency-keys). A
 * record is claimed (IN_PROGRESS, committed at once so duplicates see it), then completed
 * with the exact response in the SAME transaction as the work it describes — so a crash can
 * never leave work done without its stored answer, and a replay is byte for byte the first
 * answer.
 */

const IDEMPOTENCY_TTL_HOURS = 24;
/** how long a claim protects a running request before a retry may take it over */
const LOCK_SECONDS = 60;

export interface StoredResponse {
  status: number;
  body: string;
  headers: Record<string, string>;
}

export type BeginResult =
  | { kind: "new"; recordId: string }
  | { kind: "replay"; recordId: string; response: StoredResponse }
  | { kind: "in_use" }
  | { kind: "reused" };

export interface BeginInput {
  partnerId: string;
  key: string;
  fingerprint: string;
  method: string;
  path: string;
  correlationId: string;
}

type RecordRow = {
  id: string;
  fingerprint: string;
  state: "IN_PROGRESS" | "COMPLETED";
  locked_until: Date | null;
  expires_at: Date;
  response_status: number | null;
  response_body: string | null;
  response_headers: Record<string, string> | null;
};

export async function beginIdempotentRequest(input: BeginInput): Promise<BeginResult> {
  const db = getDb();
  const claimed = await db.$queryRaw<{ id: string }[]>`
    INSERT INTO idempotency_records (partner_id, key, fingerprint, method, path, state, correlation_id, locked_until, expires_at)
    VALUES (${input.partnerId}::uuid, ${input.key}, ${input.fingerprint}, ${input.method}, ${input.path}, 'IN_PROGRESS',
            ${input.correlationId}, now() + make_interval(secs => ${LOCK_SECONDS}),
            now() + make_interval(hours => ${IDEMPOTENCY_TTL_HOURS}))
    ON CONFLICT (partner_id, key) DO NOTHING
    RETURNING id`;
  if (claimed[0]) return { kind: "new", recordId: claimed[0].id };

  const rows = await db.$queryRaw<RecordRow[]>`
    SELECT id, fingerprint, state, locked_until, expires_at, response_status, response_body, response_headers
    FROM idempotency_records WHERE partner_id = ${input.partnerId}::uuid AND key = ${input.key}`;
  const existing = rows[0];
  if (!existing) return beginIdempotentRequest(input); // removed between our two statements

  if (existing.expires_at.getTime() <= Date.now()) {
    // Past its 24 h: the key is free again. Take it over unless someone else just did.
    const retaken = await db.$queryRaw<{ id: string }[]>`
      UPDATE idempotency_records
      SET fingerprint = ${input.fingerprint}, method = ${input.method}, path = ${input.path}, state = 'IN_PROGRESS',
          response_status = NULL, response_body = NULL, response_headers = NULL, booking_id = NULL,
          correlation_id = ${input.correlationId}, replay_count = 0, last_replayed_at = NULL, created_at = now(),
          locked_until = now() + make_interval(secs => ${LOCK_SECONDS}),
          expires_at = now() + make_interval(hours => ${IDEMPOTENCY_TTL_HOURS})
      WHERE id = ${existing.id}::uuid AND expires_at <= now()
      RETURNING id`;
    return retaken[0] ? { kind: "new", recordId: retaken[0].id } : { kind: "in_use" };
  }
  if (existing.fingerprint !== input.fingerprint) return { kind: "reused" };
  if (existing.state === "COMPLETED") {
    await db.$executeRaw`
      UPDATE idempotency_records SET replay_count = replay_count + 1, last_replayed_at = now() WHERE id = ${existing.id}::uuid`;
    return {
      kind: "replay",
      recordId: existing.id,
      response: { status: existing.response_status!, body: existing.response_body!, headers: existing.response_headers ?? {} },
    };
  }
  // Still running — unless its claim lapsed (the process died mid-request): then the
  // work was never committed (it commits with the response), so it may run again.
  const takenOver = await db.$queryRaw<{ id: string }[]>`
    UPDATE idempotency_records
    SET locked_until = now() + make_interval(secs => ${LOCK_SECONDS}), correlation_id = ${input.correlationId}
    WHERE id = ${existing.id}::uuid AND state = 'IN_PROGRESS' AND locked_until < now()
    RETURNING id`;
  return takenOver[0] ? { kind: "new", recordId: takenOver[0].id } : { kind: "in_use" };
}

/** Stores the response in the transaction that did the work. */
export async function completeIdempotentRequest(
  tx: Tx,
  recordId: string,
  response: StoredResponse,
  bookingId?: string | null,
): Promise<void> {
  await tx.$executeRaw`
    UPDATE idempotency_records
    SET state = 'COMPLETED', response_status = ${response.status}, response_body = ${response.body},
        response_headers = ${JSON.stringify(response.headers)}::jsonb, booking_id = ${bookingId ?? null}::uuid,
        locked_until = NULL
    WHERE id = ${recordId}::uuid`;
}

/** Stores a refusal (the work was rolled back, so nothing else needs to commit with it). */
export async function completeIdempotentRefusal(recordId: string, response: StoredResponse): Promise<void> {
  await completeIdempotentRequest(getDb(), recordId, response);
}

/** Frees the key (retryable failures: the client should be able to try again). */
export async function releaseIdempotentRequest(recordId: string): Promise<void> {
  await getDb().$executeRaw`DELETE FROM idempotency_records WHERE id = ${recordId}::uuid AND state = 'IN_PROGRESS'`;
}
