import type { Task } from "graphile-worker";
import { failReplayJob, recoverStalledReplayJobs, runReplayJob } from "../domain/webhooks/replay/run-replay-job";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/**
 * Runs one bulk replay (server/domain/webhooks/replay/run-replay-job.ts). When the worker stops,
 * the runner stops starting attempts and this task enqueues its continuation (same job
 * key) before returning — a job failed during shutdown may never be written back by
 * graphile-worker, and would stay locked for hours — so the next worker resumes after
 * the last recorded item at once. A killed worker's replay is handed to a new run by the
 * watchdog below within about a minute (graphile-worker itself would keep the dead job
 * locked for 4 h), and resumes the same way. An error is retried by graphile-worker;
 * after the last allowed attempt the replay is marked FAILED.
 */
export const webhookReplay: Task<typeof JOBS.webhookReplay> = async (payload, helpers) => {
  const { jobId } = parsePayload(JOB_PAYLOADS[JOBS.webhookReplay], payload, helpers);
  try {
    const result = await runReplayJob(jobId, { signal: helpers.abortSignal });
    if (result.outcome === "interrupted") {
      await helpers.addJob(
        JOBS.webhookReplay,
        { jobId, correlationId: payload.correlationId },
        { jobKey: `${JOBS.webhookReplay}:${jobId}`, maxAttempts: helpers.job.max_attempts },
      );
      helpers.logger.info(`Replay job ${jobId} interrupted by a worker shutdown at ${result.processed}/${result.total}; continuation enqueued`);
      return;
    }
    helpers.logger.info(`Replay job ${jobId}: ${result.outcome}, ${result.processed}/${result.total}`);
  } catch (error) {
    if (helpers.job.attempts >= helpers.job.max_attempts) {
      await failReplayJob(jobId, error instanceof Error ? error.message : String(error));
    }
    throw error;
  }
};

/**
 * Every minute: a bulk replay whose runner stopped beating for a minute (its worker was
 * killed) is handed to a new run, which resumes after the last recorded item.
 */
export const webhookReplayWatchdog: Task<typeof JOBS.webhookReplayWatchdog> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.webhookReplayWatchdog], payload, helpers);
  const recovered = await recoverStalledReplayJobs();
  if (recovered.length) {
    helpers.logger.warn(`Resuming ${recovered.length} replay job(s) whose worker stopped: ${recovered.join(", ")}`, {
      correlationId: jobCorrelationId(input, helpers),
    });
  }
};
