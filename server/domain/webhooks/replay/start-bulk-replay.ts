import { z } from "zod";
import { pgDate } from "@/server/domain/shared/safe-input";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { JOBS } from "@/server/domain/shared/jobs";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { DELIVERY_FROM, DeliveryFilter, deliveryWhere } from "../delivery/delivery-filter";
import { ENDPOINT_ID, triggeredBy } from "./replay-access";
import { loadReplayJobView, type ReplayJobView } from "./replay-jobs";
import { parseOrRefuse } from "@/server/domain/shared/validation";

const DEFAULT_REPLAY_RATE = 50;
/** attempts per second a bulk replay may make at most (a partner's endpoint is someone else's server) */
const MAX_REPLAY_RATE = 500;
/** deliveries one bulk replay may send; a larger set must be narrowed (or split by time) */
const MAX_REPLAY_SIZE = 200_000;

export const StartBulkReplayInput = z
  .object({
    filter: DeliveryFilter,
    ratePerSecond: z.number().int().min(1).max(MAX_REPLAY_RATE).default(DEFAULT_REPLAY_RATE),
    /** the preview's count: the replay is refused if the set changed since */
    expectedCount: z.number().int().min(0).optional(),
  })
  .strict();
export type StartBulkReplayInput = z.input<typeof StartBulkReplayInput>;

/**
 * Starts a bulk replay (permission delivery.bulk_replay): in one transaction the
 * matching deliveries — the delivery log's filter, what the actor may see, live and
 * active endpoints, exactly what previewReplay counts — are fixed as the job's items in
 * a stable order (creation time, id), the ReplayJob row and its audit entry are written,
 * and its graphile-worker job is enqueued (server/jobs/webhook-replay.ts runs it at
 * `ratePerSecond`). Given `expectedCount` (the preview's), a set that changed since is
 * refused with CONFLICT and nothing is written. An empty set is refused too.
 */
export async function startBulkReplay(raw: StartBulkReplayInput, actor: Actor, options: ServiceOptions = {}): Promise<ReplayJobView> {
  const input = parseOrRefuse(StartBulkReplayInput, raw);
  await authorize(actor, "delivery.bulk_replay");
  return inTransaction(options, async (tx) => {
    const [job] = await tx.$queryRaw<{ id: string }[]>`
      INSERT INTO replay_jobs (filter, status, rate_per_second, requested_by_id, correlation_id)
      VALUES (${JSON.stringify(input.filter)}::jsonb, 'PENDING', ${input.ratePerSecond}, ${triggeredBy(actor)}::uuid, ${actor.correlationId})
      RETURNING id::text AS id`;
    const jobId = job!.id;
    const total = await tx.$executeRaw`
      INSERT INTO replay_job_items (job_id, seq, delivery_id)
      SELECT ${jobId}::uuid, row_number() OVER (ORDER BY d.created_at, d.id), d.id
      FROM ${DELIVERY_FROM}
      WHERE ${deliveryWhere(input.filter, actor)} AND ep.deleted_at IS NULL AND ep.status = 'ACTIVE'`;
    if (input.expectedCount !== undefined && input.expectedCount !== total) {
      throw new DomainError(
        "CONFLICT",
        `The preview counted ${input.expectedCount} deliveries, but ${total} match now; preview again before replaying.`,
        { expected_count: input.expectedCount, current_count: total },
      );
    }
    if (total === 0) {
      throw new DomainError("VALIDATION_FAILED", "No deliveries of an active endpoint match this filter: nothing to replay.", {}, [
        { path: "filter", message: "matches no deliveries" },
      ]);
    }
    if (total > MAX_REPLAY_SIZE) {
      throw new DomainError(
        "VALIDATION_FAILED",
        `${total} deliveries match; one replay sends at most ${MAX_REPLAY_SIZE}. Narrow the filter (e.g. a shorter time window).`,
        { current_count: total, max_count: MAX_REPLAY_SIZE },
        [{ path: "filter", message: `matches more than ${MAX_REPLAY_SIZE} deliveries` }],
      );
    }
    await tx.$executeRaw`UPDATE replay_jobs SET total = ${total} WHERE id = ${jobId}::uuid`;
    await writeAudit(tx, actor, {
      action: "delivery.bulk_replay",
      targetType: "replay_job",
      targetId: jobId,
      metadata: { filter: input.filter, total, rate_per_second: input.ratePerSecond },
    });
    await enqueueJob(tx, JOBS.webhookReplay, { jobId, correlationId: actor.correlationId }, { jobKey: `${JOBS.webhookReplay}:${jobId}`, maxAttempts: 10 });
    return loadReplayJobView(tx, jobId);
  });
}

export const ReplayWindowInput = z
  .object({
    endpointId: ENDPOINT_ID,
    from: pgDate(),
    to: pgDate(),
    ratePerSecond: z.number().int().min(1).max(MAX_REPLAY_RATE).default(DEFAULT_REPLAY_RATE),
    expectedCount: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((w) => w.from < w.to, { message: "`from` must be before `to`", path: ["to"] });
export type ReplayWindowInput = z.input<typeof ReplayWindowInput>;

/**
 * The window replay of docs/webhooks.md#replay: the failed (RETRYING) and dead deliveries
 * of one endpoint created in [from, to) — a bulk replay with that filter (preview it with
 * previewReplay(windowFilter(…))).
 */
export async function replayWindow(raw: ReplayWindowInput, actor: Actor, options: ServiceOptions = {}): Promise<ReplayJobView> {
  const input = parseOrRefuse(ReplayWindowInput, raw);
  return startBulkReplay(
    { filter: windowFilter(input), ratePerSecond: input.ratePerSecond, expectedCount: input.expectedCount },
    actor,
    options,
  );
}

export function windowFilter(input: { endpointId: string; from: Date; to: Date }): DeliveryFilter {
  return { endpointId: input.endpointId, status: ["RETRYING", "DEAD"], from: input.from, to: input.to };
}
