import { z } from "zod";
import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { diffRequests, type FieldDifference } from "./diff-request-bodies";
import { readApiRequests, requestWhere, type ApiRequestView } from "./list-api-requests";
import { maskCustomerData } from "./mask-customer-data";
import { redactBody } from "./redact-body";

/**
 * The idempotency inspector (docs/request-log.md#the-idempotency-inspector): for one
 * partner's key, the stored record — fingerprint, state, the response it replays, when it
 * expires — and every logged call that sent the key, with the replays and, for each call
 * refused IDEMPOTENCY_KEY_REUSED, what differed from the first request, field by field.
 *
 * Scope: the calls are read through the request log's own scope; a site manager sees the
 * record only when its booking, or one of the calls, is in their facilities. Nothing to
 * show is NOT_FOUND, whether the key never existed or is someone else's.
 */

const REQUEST_LIMIT = 200;

export const InspectIdempotencyKeyInput = z
  .object({
    /** the partner's code, e.g. MARKETPLACE */
    partner: z.string().trim().min(1).max(64).transform((c) => c.toUpperCase()),
    key: z.string().trim().min(1).max(255),
  })
  .strict();
export type InspectIdempotencyKeyInput = z.input<typeof InspectIdempotencyKeyInput>;

export interface IdempotencyRecordView {
  fingerprint: string;
  state: "IN_PROGRESS" | "COMPLETED";
  method: string;
  path: string;
  responseStatus: number | null;
  /** the response a replay returns, redacted as the log's bodies are (a sealed secret never shown) */
  responseBody: string | null;
  bookingReference: string | null;
  correlationId: string | null;
  replayCount: number;
  lastReplayedAt: Date | null;
  lockedUntil: Date | null;
  createdAt: Date;
  expiresAt: Date;
  /** past its expiry when read: a replay would now start afresh once the cleanup removes it */
  expired: boolean;
}

export interface KeyReuse {
  /** the refused call */
  requestId: string;
  at: Date;
  /** the call the key was first used for, when it is still in the log */
  firstRequestId: string | null;
  differences: FieldDifference[];
}

export interface IdempotencyInspection {
  partnerCode: string;
  key: string;
  /** null: expired and deleted (or the key never got as far as a record) */
  record: IdempotencyRecordView | null;
  /** every logged call with this key, oldest first */
  requests: ApiRequestView[];
  reuses: KeyReuse[];
}

const IDEMPOTENCY_REFUSALS = new Set(["IDEMPOTENCY_KEY_REUSED", "IDEMPOTENCY_KEY_IN_USE", "IDEMPOTENCY_KEY_REQUIRED"]);

export async function inspectIdempotencyKey(raw: InspectIdempotencyKeyInput, actor: Actor): Promise<IdempotencyInspection> {
  await authorize(actor, "api_log.read");
  const input = parseOrRefuse(InspectIdempotencyKeyInput, raw);
  const db = getDb();
  const notFound = () => new DomainError("NOT_FOUND", "No record or logged call with this idempotency key for this partner.", { partner: input.partner });

  const partner = await db.partner.findUnique({ where: { code: input.partner }, select: { id: true, code: true } });
  // A partner reads only its own keys.
  if (!partner || (actor.type === "PARTNER" && actor.id !== partner.id)) throw notFound();

  const [stored, requests] = await Promise.all([
    db.idempotencyRecord.findUnique({ where: { partnerId_key: { partnerId: partner.id, key: input.key } } }),
    readApiRequests(actor, requestWhere({ partner: partner.code, idempotencyKey: input.key }, actor, null), REQUEST_LIMIT).then((r) => r.reverse()),
  ]);
  const booking = stored?.bookingId
    ? await db.booking.findUnique({ where: { id: stored.bookingId }, select: { reference: true, facilityId: true } })
    : null;
  const bookingInScope = booking !== null && (actor.facilityIds === null || actor.facilityIds.includes(booking.facilityId));
  const recordVisible = stored !== null && (actor.facilityIds === null || bookingInScope || requests.length > 0);
  if (!recordVisible && requests.length === 0) throw notFound();

  let record: IdempotencyRecordView | null = null;
  if (stored && recordVisible) {
    const redacted = redactBody(stored.responseBody)?.text ?? null;
    // Customer details only for a reader who may see the booking (docs/request-log.md#who-sees-what).
    const responseBody = actor.facilityIds === null || actor.type === "PARTNER" || bookingInScope ? redacted : maskCustomerData(redacted);
    record = {
      fingerprint: stored.fingerprint,
      state: stored.state,
      method: stored.method,
      path: stored.path,
      responseStatus: stored.responseStatus,
      responseBody,
      bookingReference: booking?.reference ?? null,
      correlationId: stored.correlationId,
      replayCount: stored.replayCount,
      lastReplayedAt: stored.lastReplayedAt,
      lockedUntil: stored.lockedUntil,
      createdAt: stored.createdAt,
      expiresAt: stored.expiresAt,
      expired: stored.expiresAt.getTime() <= Date.now(),
    };
  }

  // The first request is the call that began the record: the oldest not refused over the key itself.
  const first =
    (stored?.correlationId ? requests.find((r) => r.correlationId === stored.correlationId) : undefined) ??
    requests.find((r) => !r.replayed && !(r.code && IDEMPOTENCY_REFUSALS.has(r.code)));
  const reuses: KeyReuse[] = requests
    .filter((r) => r.code === "IDEMPOTENCY_KEY_REUSED")
    .map((r) => ({
      requestId: r.id,
      at: r.createdAt,
      firstRequestId: first?.id ?? null,
      differences: first
        ? diffRequests({ method: first.method, path: first.path, body: first.requestBody }, { method: r.method, path: r.path, body: r.requestBody })
        : [],
    }));
  return { partnerCode: partner.code, key: input.key, record, requests, reuses };
}
