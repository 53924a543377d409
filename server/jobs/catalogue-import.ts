import type { Task } from "graphile-worker";
import { failImport, recoverStalledImports, runImport } from "../domain/catalogue/imports/run-import";
import { JOBS, JOB_PAYLOADS } from "../domain/shared/jobs";
import { jobCorrelationId, parsePayload } from "./context";

/**
 * Runs one catalogue import (server/domain/catalogue/imports/run-import.ts): plans it, and
 * applies it unless it waits as a dry run. As a bulk replay's task (webhook-replay.ts):
 * when the worker stops, the runner stops between batches and this task enqueues the
 * continuation (same job key), so the next worker resumes after the last committed row; a
 * killed worker's import is handed on by the watchdog below within about a minute. An
 * error is retried by graphile-worker; after the last allowed attempt the import is FAILED.
 */
export const catalogueImport: Task<typeof JOBS.catalogueImport> = async (payload, helpers) => {
  const { importId } = parsePayload(JOB_PAYLOADS[JOBS.catalogueImport], payload, helpers);
  try {
    const result = await runImport(importId, { signal: helpers.abortSignal });
    if (result.outcome === "interrupted") {
      await helpers.addJob(
        JOBS.catalogueImport,
        { importId, correlationId: payload.correlationId },
        { jobKey: `${JOBS.catalogueImport}:${importId}`, maxAttempts: helpers.job.max_attempts },
      );
      helpers.logger.info(`Import ${importId} interrupted by a worker shutdown after ${result.processed} rows; continuation enqueued`);
      return;
    }
    helpers.logger.info(`Import ${importId}: ${result.outcome}, ${result.processed} rows applied or failed`);
  } catch (error) {
    if (helpers.job.attempts >= helpers.job.max_attempts) {
      await failImport(importId, error instanceof Error ? error.message : String(error));
    }
    throw error;
  }
};

/** Every minute: an import whose runner stopped beating for a minute (its worker was killed) is handed to a new run. */
export const catalogueImportWatchdog: Task<typeof JOBS.catalogueImportWatchdog> = async (payload, helpers) => {
  const input = parsePayload(JOB_PAYLOADS[JOBS.catalogueImportWatchdog], payload, helpers);
  const recovered = await recoverStalledImports();
  if (recovered.length) {
    helpers.logger.warn(`Resuming ${recovered.length} import(s) whose worker stopped: ${recovered.join(", ")}`, {
      correlationId: jobCorrelationId(input, helpers),
    });
  }
};
