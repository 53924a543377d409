import { getDb } from "@/server/db";
import { webhookConfig } from "@/server/config";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { inTransaction } from "@/server/domain/shared/transaction";
import { decideOutcome, defaultSender, type AttemptTrigger } from "@/server/domain/webhooks/delivery/attempt-delivery";
import type { WebhookSender } from "@/server/domain/webhooks/delivery/http-sender";
import { parseRetryAfter } from "@/server/domain/webhooks/delivery/retry-policy";
import { sendSignedWebhook, type SignedAttempt } from "@/server/domain/webhooks/delivery/send-signed";
import { Prisma, type DeliveryStatus, type FailureClass } from "@/server/generated/prisma/client";
import { logger } from "@/server/observability/logger";

/**
 * Sending operational webhooks (docs/operations.md#operational-webhooks), after the change
 * that made them committed: claim due deliveries (a lease, committed, SKIP LOCKED so
 * workers share them), send each with no transaction open — signed, through the same
 * sender and destination rule as partner webhooks — then write the attempt and the
 * delivery's new state and schedule in one transaction. The schedule is the partner
 * deliveries' (8 attempts over about a day, docs/webhooks.md#responding-retries-and-back-off),
 * and so is the outcome rule (decideOutcome).
 */

export interface ClaimedOperationalDelivery {
  id: string;
  endpointId: string;
  body: string;
  status: DeliveryStatus;
  attemptCount: number;
  leaseToken: string;
  url: string;
  secretCiphertext: string;
  secretVersion: number;
}

export interface OperationalAttemptResult {
  deliveryId: string;
  attemptNumber: number;
  success: boolean;
  responseStatus: number | null;
  failureClass: FailureClass | null;
  durationMs: number;
  deliveryStatus: DeliveryStatus;
  nextAttemptAt: Date | null;
}

export interface SendOptions {
  now?: Date;
  sender?: WebhookSender;
  timeoutMs?: number;
  limit?: number;
  random?: () => number;
}

const CLAIM_COLUMNS = Prisma.raw(`d.id, d.endpoint_id AS "endpointId", d.body, d.status::text AS status, d.attempt_count AS "attemptCount",
  d.lease_token::text AS "leaseToken", e.url, e.secret_ciphertext AS "secretCiphertext", e.secret_version AS "secretVersion"`);

/** Leases up to `limit` due deliveries of enabled endpoints to this caller. */
export async function claimDueOperationalDeliveries(now: Date, leaseMs: number, limit: number): Promise<ClaimedOperationalDelivery[]> {
  const until = new Date(now.getTime() + leaseMs);
  return getDb().$queryRaw<ClaimedOperationalDelivery[]>`
    WITH due AS (
      SELECT d.id FROM operational_webhook_deliveries d
      JOIN operational_webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
      WHERE d.status IN ('PENDING', 'RETRYING') AND d.next_attempt_at <= ${now}::timestamptz
      ORDER BY d.next_attempt_at LIMIT ${limit}
      FOR UPDATE OF d SKIP LOCKED
    ), claimed AS (
      UPDATE operational_webhook_deliveries d SET locked_until = ${until}::timestamptz, next_attempt_at = ${until}::timestamptz, lease_token = gen_random_uuid()
      FROM due WHERE d.id = due.id
      RETURNING d.*
    )
    SELECT ${CLAIM_COLUMNS} FROM claimed d JOIN operational_webhook_endpoints e ON e.id = d.endpoint_id`;
}

/** Leases one delivery now, whatever its schedule (the console's test message); null when another attempt holds it. */
export async function claimOperationalDelivery(id: string, now: Date, leaseMs: number): Promise<ClaimedOperationalDelivery | null> {
  const until = new Date(now.getTime() + leaseMs);
  const rows = await getDb().$queryRaw<ClaimedOperationalDelivery[]>`
    WITH claimed AS (
      UPDATE operational_webhook_deliveries d SET locked_until = ${until}::timestamptz, next_attempt_at = ${until}::timestamptz, lease_token = gen_random_uuid()
      WHERE d.id = ${id} AND (d.locked_until IS NULL OR d.locked_until <= ${now}::timestamptz)
      RETURNING d.*
    )
    SELECT ${CLAIM_COLUMNS} FROM claimed d JOIN operational_webhook_endpoints e ON e.id = d.endpoint_id`;
  return rows[0] ?? null;
}

/** Sends one claimed delivery and records the attempt with the delivery's new state. */
export async function attemptOperationalDelivery(
  claimed: ClaimedOperationalDelivery,
  options: SendOptions & { trigger: AttemptTrigger; triggeredById?: string | null; correlationId: string | null },
): Promise<{ result: OperationalAttemptResult; sent: SignedAttempt }> {
  const startedAt = options.now ?? new Date();
  const sent = await sendSignedWebhook(options.sender ?? defaultSender(), {
    url: claimed.url,
    secrets: { secretCiphertext: claimed.secretCiphertext, secretVersion: claimed.secretVersion, previousSecretCiphertext: null, previousSecretExpiresAt: null },
    id: claimed.id,
    body: claimed.body,
    startedAt,
    timeoutMs: options.timeoutMs ?? webhookConfig().timeoutMs,
  });
  const attemptNumber = claimed.attemptCount + 1;
  // A test message is tried once: it answers "does my endpoint work now?".
  const outcome =
    options.trigger === "TEST"
      ? { status: (sent.success ? "SUCCEEDED" : "DEAD") as DeliveryStatus, nextAttemptAt: null }
      : decideOutcome({
          current: claimed.status,
          attemptNumber,
          trigger: options.trigger,
          success: sent.success,
          httpStatus: sent.httpStatus,
          retryAfterMs: parseRetryAfter(sent.retryAfter, sent.finishedAt),
          finishedAt: sent.finishedAt,
          random: options.random,
        });
  await inTransaction({}, async (tx) => {
    await tx.operationalWebhookAttempt.create({
      data: {
        deliveryId: claimed.id,
        endpointId: claimed.endpointId,
        attemptNumber,
        trigger: options.trigger,
        triggeredById: options.triggeredById ?? null,
        startedAt,
        durationMs: sent.durationMs,
        responseStatus: sent.httpStatus,
        responseBody: sent.responseBody,
        failureClass: sent.failureClass,
        errorMessage: sent.errorMessage,
        requestHeaders: sent.requestHeaders,
        signedWith: sent.signedWith,
        correlationId: options.correlationId,
      },
    });
    // Guarded by the lease: an attempt whose lease lapsed (and was taken again) is
    // logged, and leaves the schedule to the newer one.
    await tx.$executeRaw`
      UPDATE operational_webhook_deliveries
      SET attempt_count = attempt_count + 1, status = ${outcome.status}::"DeliveryStatus", next_attempt_at = ${outcome.nextAttemptAt}::timestamptz,
          last_attempt_at = ${startedAt}, last_status = ${sent.httpStatus}::int,
          succeeded_at = CASE WHEN ${outcome.status} = 'SUCCEEDED' THEN coalesce(succeeded_at, ${sent.finishedAt}::timestamptz) ELSE succeeded_at END,
          dead_at = CASE WHEN ${outcome.status} = 'DEAD' THEN ${sent.finishedAt}::timestamptz ELSE NULL END,
          locked_until = NULL, lease_token = NULL
      WHERE id = ${claimed.id} AND lease_token = ${claimed.leaseToken}::uuid`;
  });
  return {
    sent,
    result: {
      deliveryId: claimed.id,
      attemptNumber,
      success: sent.success,
      responseStatus: sent.httpStatus,
      failureClass: sent.failureClass,
      durationMs: sent.durationMs,
      deliveryStatus: outcome.status,
      nextAttemptAt: outcome.nextAttemptAt,
    },
  };
}

export interface SendDueResult {
  attempts: OperationalAttemptResult[];
  /** when the next delivery is due (a retry), or null when nothing waits */
  nextDueAt: Date | null;
}

/** One pass of the sending job: every due delivery, attempted once. */
export async function sendDueOperationalWebhooks(actor: Actor, options: SendOptions = {}): Promise<SendDueResult> {
  await authorize(actor, "incident.manage", { target: { type: "operational_webhook_delivery", id: null } });
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? webhookConfig().timeoutMs;
  const claimed = await claimDueOperationalDeliveries(now, timeoutMs + 30_000, options.limit ?? 100);
  const attempts = await Promise.all(
    claimed.map(async (c) => {
      try {
        return (await attemptOperationalDelivery(c, { ...options, now, timeoutMs, trigger: c.attemptCount ? "RETRY" : "SCHEDULED", correlationId: actor.correlationId })).result;
      } catch (error) {
        // The lease lapses and the delivery is attempted again: nothing is lost.
        logger.error({ err: error, deliveryId: c.id, correlationId: actor.correlationId }, "operational webhook attempt could not be recorded");
        return null;
      }
    }),
  );
  const [next] = await getDb().$queryRaw<{ at: Date | null }[]>`
    SELECT min(d.next_attempt_at) AS at FROM operational_webhook_deliveries d
    JOIN operational_webhook_endpoints e ON e.id = d.endpoint_id AND e.enabled
    WHERE d.status IN ('PENDING', 'RETRYING') AND d.next_attempt_at IS NOT NULL`;
  return { attempts: attempts.filter((a): a is OperationalAttemptResult => a !== null), nextDueAt: next?.at ?? null };
}
