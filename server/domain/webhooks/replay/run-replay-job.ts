import crypto from "node:crypto";
import type { Logger } from "pino";
import { getDb } from "../../../db";
import { logger as rootLogger } from "../../../observability/logger";
import { systemActor, type Actor } from "@/server/domain/shared/actor";
import { JOBS } from "@/server/domain/shared/jobs";
import { deliverAttempt, type AttemptOptions, type DeliverAttemptResult } from "../delivery/attempt-delivery";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import { webhookConfig } from "../../../config";
import { AttemptRecorder } from "../delivery/record-attempts";
import { abortableSleep } from "@/server/domain/shared/abortable-sleep";

/**
 * Runs a bulk replay (started by startBulkReplay) to its end: the job's items, fixed when
 * it was requested, in their order (seq), one BULK_REPLAY attempt each — same webhook-id,
 * recorded as triggered by whoever asked — at no more than `ratePerSecond` attempt starts
 * a second. Each attempt commits with its own "delivery.replay" audit entry naming the
 * job (record-attempts.ts).
 *
 * Progress is kept per batch: `cursor` is the last item whose batch is fully recorded,
 * with the processed/succeeded/failed/skipped counts, in one UPDATE. A runner that dies
 * mid-batch (worker stopped or killed) is rerun by graphile-worker and resumes after the
 * cursor; items of the unfinished batch that already have their audit entry for this job
 * — which exists exactly when their attempt was recorded — are counted, not sent again.
 *
 * A runner takes the job with a fresh runner_token and beats a heartbeat with every
 * look for cancellation (every CANCEL_CHECK_MS and between batches). A worker killed
 * mid-run leaves its graphile-worker job locked for hours; recoverStalledReplayJobs (a
 * cron task, every minute) hands a RUNNING job whose heartbeat went stale to a new run,
 * which takes the token — a runner that finds its token gone stops at once, so two never
 * send side by side. Attempts whose HTTP request was in flight when the worker died were
 * never recorded and are sent again on resume (same webhook-id, which consumers dedupe).
 *
 * Once a cancel is seen, no further attempt starts. Deliveries whose endpoint was disabled or deleted
 * since the request, or that another attempt holds for longer than a few retries, are
 * skipped and counted as such.
 */

const CANCEL_CHECK_MS = 200;
const MAX_BATCH = 200;
/** attempts of one job in flight at once, whatever the rate (a slow partner must not pile up requests) */
const MAX_IN_FLIGHT = 32;
const IN_FLIGHT_WAIT_MS = 1000;

export interface RunReplayJobOptions extends Pick<AttemptOptions, "sender" | "timeoutMs"> {
  /** stop starting attempts (the worker is shutting down); the job is left RUNNING to resume */
  signal?: AbortSignal;
  log?: Logger;
}

export type RunReplayJobResult = { outcome: "completed" | "cancelled" | "already_ended" | "interrupted"; processed: number; total: number };

interface JobRow {
  status: string;
  total: number;
  processed: number;
  cursor: number;
  rate_per_second: number;
  requested_by_id: string | null;
  requested_by_email: string | null;
  correlation_id: string | null;
  filter: unknown;
}

interface ItemRow {
  seq: number;
  delivery_id: string;
  endpoint_ok: boolean | null;
  facility_id: string | null;
  event_id: string | null;
  event_type: string | null;
  status: string | null;
  done_success: boolean | null;
  done: boolean;
}

export async function runReplayJob(jobId: string, options: RunReplayJobOptions = {}): Promise<RunReplayJobResult> {
  const db = getDb();
  const log = (options.log ?? rootLogger).child({ component: "webhook-replay", replayJobId: jobId });
  const load = async () =>
    (
      await db.$queryRaw<JobRow[]>`
        SELECT j.status::text AS status, j.total, j.processed, j.cursor, j.rate_per_second, j.requested_by_id::text AS requested_by_id,
               u.email AS requested_by_email, j.correlation_id, j.filter
        FROM replay_jobs j LEFT JOIN users u ON u.id = j.requested_by_id WHERE j.id = ${jobId}::uuid`
    )[0];

  const token = crypto.randomUUID();
  await db.$executeRaw`
    UPDATE replay_jobs SET status = 'RUNNING', started_at = coalesce(started_at, now()), runner_token = ${token}::uuid, heartbeat_at = now()
    WHERE id = ${jobId}::uuid AND status IN ('PENDING', 'RUNNING')`;
  const job = await load();
  if (!job) throw new Error(`Replay job ${jobId} does not exist.`);
  if (job.status !== "RUNNING") {
    if (job.status === "CANCELLED") await markStopped(jobId);
    return { outcome: "already_ended", processed: job.processed, total: job.total };
  }

  const correlationId = job.correlation_id ?? `replay_${jobId}`;
  // Each attempt is audited as the user's: they asked for it; the job id says how.
  const actor: Actor = job.requested_by_id
    ? {
        type: "USER",
        id: job.requested_by_id,
        label: job.requested_by_email ?? job.requested_by_id,
        scopes: [],
        facilityIds: null,
        correlationId,
      }
    : systemActor("webhook-replay", correlationId);
  const intervalMs = 1000 / job.rate_per_second;
  const batchSize = Math.min(MAX_BATCH, Math.max(10, job.rate_per_second));

  let cancelled = false;
  let lastCheck = Date.now();
  // The heartbeat; stops for a cancel, for a job finished meanwhile, and when another runner took the job over.
  const cancelSeen = async (): Promise<boolean> => {
    if (cancelled) return true;
    lastCheck = Date.now();
    const [row] = await db.$queryRaw<{ status: string }[]>`
      UPDATE replay_jobs SET heartbeat_at = now() WHERE id = ${jobId}::uuid AND runner_token = ${token}::uuid
      RETURNING status::text AS status`;
    cancelled = row?.status !== "RUNNING";
    return cancelled;
  };

  // Outcomes (with their audit entries) are written in group commits, as the dispatcher's.
  const recorder = new AttemptRecorder();
  let cursor = job.cursor;
  let processed = job.processed;
  let nextStart = Date.now();
  while (!options.signal?.aborted && !(await cancelSeen())) {
    // The batch's items with what they need: the delivery's endpoint still live and
    // active, its event, and whether this job already recorded an attempt for it.
    const items = await db.$queryRaw<ItemRow[]>`
      SELECT i.seq, i.delivery_id, (ep.status = 'ACTIVE' AND ep.deleted_at IS NULL) AS endpoint_ok, e.facility_id::text AS facility_id,
             e.id AS event_id, e.type AS event_type, d.status::text AS status,
             a.success AS done_success, a.id IS NOT NULL AS done
      FROM replay_job_items i
      JOIN webhook_deliveries d ON d.id = i.delivery_id
      JOIN events e ON e.id = d.event_id
      LEFT JOIN webhook_endpoints ep ON ep.id = d.endpoint_id
      LEFT JOIN LATERAL (
        SELECT au.id, (au.metadata->>'success')::boolean AS success FROM audit_entries au
        WHERE au.target_type = 'webhook_delivery' AND au.target_id = i.delivery_id AND au.action = 'delivery.replay'
          AND au.metadata->>'replay_job_id' = ${jobId}
        LIMIT 1
      ) a ON TRUE
      WHERE i.job_id = ${jobId}::uuid AND i.seq > ${cursor}
      ORDER BY i.seq
      LIMIT ${batchSize}`;
    if (!items.length) break;

    const counts = { processed: 0, succeeded: 0, failed: 0, skipped: 0 };
    const inFlight = new Set<Promise<void>>();
    let handledThrough = cursor;
    const outcomes = new Map<number, "succeeded" | "failed" | "skipped">();

    for (const item of items) {
      if (item.done) {
        outcomes.set(item.seq, item.done_success ? "succeeded" : "failed");
        continue;
      }
      if (!item.endpoint_ok) {
        outcomes.set(item.seq, "skipped");
        continue;
      }
      // Pace: attempt starts never closer than 1/rate apart; look for a cancel meanwhile.
      for (;;) {
        if (options.signal?.aborted) break;
        if (Date.now() - lastCheck >= CANCEL_CHECK_MS && (await cancelSeen())) break;
        const wait = nextStart - Date.now();
        if (wait <= 0) break;
        await abortableSleep(Math.min(wait, CANCEL_CHECK_MS), options.signal);
      }
      if (options.signal?.aborted || cancelled) break;
      while (inFlight.size >= MAX_IN_FLIGHT) await Promise.race(inFlight);
      nextStart = Math.max(nextStart + intervalMs, Date.now());
      const seq = item.seq;
      outcomes.set(seq, "skipped"); // placeholder until the attempt settles
      const task = attemptItem(item, { jobId, actor, correlationId, options, recorder })
        // null: interrupted while waiting for another attempt's lease; left for the resumed run
        .then((outcome) => void (outcome ? outcomes.set(seq, outcome) : outcomes.delete(seq)))
        .finally(() => inFlight.delete(task));
      inFlight.add(task);
    }
    await Promise.all(inFlight);

    // Count the contiguous prefix of the batch that was handled (all of it, unless the
    // run was cancelled or interrupted part-way).
    for (const item of items) {
      const outcome = outcomes.get(item.seq);
      if (!outcome) break;
      counts.processed++;
      counts[outcome]++;
      handledThrough = item.seq;
    }
    if (counts.processed) {
      await db.$executeRaw`
        UPDATE replay_jobs
        SET cursor = ${handledThrough}, processed = processed + ${counts.processed}, succeeded = succeeded + ${counts.succeeded},
            failed = failed + ${counts.failed}, skipped = skipped + ${counts.skipped}
        WHERE id = ${jobId}::uuid AND cursor = ${cursor} AND runner_token = ${token}::uuid`;
      cursor = handledThrough;
      processed += counts.processed;
    }
    if (counts.processed < items.length) break;
  }

  if (options.signal?.aborted) {
    log.info({ processed, total: job.total }, "replay job interrupted; it resumes where it left off");
    return { outcome: "interrupted", processed, total: job.total };
  }
  if (cancelled) {
    const [row] = await db.$queryRaw<{ status: string }[]>`SELECT status::text AS status FROM replay_jobs WHERE id = ${jobId}::uuid`;
    if (row?.status !== "CANCELLED") return { outcome: "already_ended", processed, total: job.total };
    await markStopped(jobId);
    log.info({ processed, total: job.total }, "replay job cancelled");
    return { outcome: "cancelled", processed, total: job.total };
  }
  await db.$executeRaw`
    UPDATE replay_jobs SET status = 'COMPLETED', finished_at = now() WHERE id = ${jobId}::uuid AND status = 'RUNNING' AND runner_token = ${token}::uuid`;
  const finished = (await load())!;
  if (finished.status === "CANCELLED") await markStopped(jobId);
  log.info({ processed, total: job.total }, "replay job finished");
  return { outcome: finished.status === "CANCELLED" ? "cancelled" : "completed", processed, total: job.total };
}

/** A cancelled job's runner has stopped: no attempt of it starts after this time. */
async function markStopped(jobId: string): Promise<void> {
  await getDb().$executeRaw`UPDATE replay_jobs SET finished_at = coalesce(finished_at, now()) WHERE id = ${jobId}::uuid AND status = 'CANCELLED'`;
}

/**
 * Hands RUNNING jobs whose runner stopped beating (its worker was killed) to a new run:
 * enqueues the job's continuation (same job key; graphile-worker keeps the dead worker's
 * job locked, so this adds a fresh one) and bumps the heartbeat, so a job waiting for a
 * free worker is not enqueued again every minute. Returns the jobs handed over.
 */
export async function recoverStalledReplayJobs(options: { staleAfterMs?: number } = {}): Promise<string[]> {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  return getDb().$transaction(async (tx) => {
    const stalled = await tx.$queryRaw<{ id: string; correlation_id: string | null }[]>`
      UPDATE replay_jobs SET heartbeat_at = now()
      WHERE status = 'RUNNING' AND (heartbeat_at IS NULL OR heartbeat_at < now() - make_interval(secs => ${staleAfterMs / 1000}))
      RETURNING id::text AS id, correlation_id`;
    for (const job of stalled) {
      await enqueueJob(
        tx,
        JOBS.webhookReplay,
        { jobId: job.id, correlationId: job.correlation_id ?? undefined },
        { jobKey: `${JOBS.webhookReplay}:${job.id}`, maxAttempts: 10 },
      );
    }
    return stalled.map((j) => j.id);
  });
}

/** Marks a job FAILED (its runner gave up), with the reason. */
export async function failReplayJob(jobId: string, reason: string): Promise<void> {
  await getDb().$executeRaw`
    UPDATE replay_jobs SET status = 'FAILED', error = ${reason.slice(0, 500)}, finished_at = now()
    WHERE id = ${jobId}::uuid AND status IN ('PENDING', 'RUNNING')`;
}

async function attemptItem(
  item: ItemRow,
  ctx: { jobId: string; actor: Actor; correlationId: string; options: RunReplayJobOptions; recorder: AttemptRecorder },
): Promise<"succeeded" | "failed" | "skipped" | null> {
  let result: DeliverAttemptResult | undefined;
  const giveUpAt = Date.now() + webhookConfig().leaseMs + 5000;
  for (let tries = 0; tries === 0 || (Date.now() < giveUpAt && !ctx.options.signal?.aborted); tries++) {
    if (tries) await abortableSleep(IN_FLIGHT_WAIT_MS, ctx.options.signal);
    result = await deliverAttempt(item.delivery_id, {
      sender: ctx.options.sender,
      timeoutMs: ctx.options.timeoutMs,
      recorder: ctx.recorder,
      trigger: "BULK_REPLAY",
      triggeredById: ctx.actor.type === "USER" ? ctx.actor.id : null,
      correlationId: ctx.correlationId,
      audit: {
        actor: ctx.actor,
        action: "delivery.replay",
        facilityId: item.facility_id,
        metadata: { replay_job_id: ctx.jobId, event_id: item.event_id, event_type: item.event_type, status_before: item.status, scope: "bulk" },
      },
    });
    if (result.kind !== "in_flight") break;
  }
  if (result?.kind === "in_flight" && ctx.options.signal?.aborted) return null;
  if (!result || result.kind !== "attempted") return "skipped";
  return result.success ? "succeeded" : "failed";
}
