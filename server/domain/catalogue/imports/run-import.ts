import crypto from "node:crypto";
import type { Logger } from "pino";
import { config } from "../../../config";
import { getDb } from "../../../db";
import { logger as rootLogger } from "../../../observability/logger";
import { abortableSleep } from "@/server/domain/shared/abortable-sleep";
import { systemActor, type Actor } from "@/server/domain/shared/actor";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import { JOBS } from "@/server/domain/shared/jobs";
import { applyAdds, applyOne, type PendingRow } from "./apply-import-rows";
import { planImport } from "./plan-import";

/**
 * Runs an import (docs/domain.md#catalogue-imports): plans it if it is PLANNING, then,
 * while it is APPLYING, applies its pending rows in line order, a batch at a time
 * (HOLDFAST_IMPORT_BATCH_ROWS), then waits HOLDFAST_IMPORT_YIELD times the batch's own
 * duration (at least HOLDFAST_IMPORT_BATCH_PAUSE_MS), leaving the database to live bookings. New units of a batch go in one transaction
 * (addUnits: the pools are touched last, so their locks are held only for its end); a
 * change or a retire is one transaction per row, through the catalogue's own services.
 * Every row is marked APPLIED or FAILED in the transaction that applies it (or, for a
 * failure, in one of its own), so a row is applied at most once and never half.
 *
 * As a bulk replay's runner (server/domain/webhooks/replay/run-replay-job.ts): the runner
 * takes the import with a fresh token and beats a heartbeat with each batch; a batch
 * commits only while the import is APPLYING and the token is still its own, so a cancel
 * stops it between batches and two runners never apply side by side. A worker stopping
 * ends the run "interrupted" (its task enqueues the continuation); a worker killed leaves
 * a stale heartbeat, and recoverStalledImports hands the import to a new run. Either way
 * the next run starts after the last committed row.
 */

/**
 * How long the runner leaves the database to live bookings after a batch that took
 * `batchMs`: `yieldRatio` times that, never less than `batchPauseMs`. A busy database
 * makes batches slower, so the import backs off by itself (docs/domain.md#catalogue-imports).
 */
export function pauseAfterBatch(batchMs: number, settings: { batchPauseMs: number; yieldRatio: number }): number {
  return Math.max(settings.batchPauseMs, Math.round(batchMs * settings.yieldRatio));
}

export interface RunImportOptions {
  /** stop between batches (the worker is shutting down); the import stays APPLYING, to resume */
  signal?: AbortSignal;
  log?: Logger;
}

export type RunImportResult = { outcome: "planned" | "completed" | "cancelled" | "failed" | "already_ended" | "interrupted"; processed: number };

interface Held {
  status: string;
  facility_id: string;
  facility_code: string;
  correlation_id: string;
  requested_by: string;
  cursor: number;
  processed: number;
}

export async function runImport(importId: string, options: RunImportOptions = {}): Promise<RunImportResult> {
  const db = getDb();
  const log = (options.log ?? rootLogger).child({ component: "catalogue-import", importId });
  const token = crypto.randomUUID();
  const [held] = await db.$queryRaw<Held[]>`
    UPDATE catalogue_imports i SET runner_token = ${token}::uuid, heartbeat_at = now(),
           started_at = CASE WHEN i.status = 'APPLYING' THEN coalesce(i.started_at, now()) ELSE i.started_at END
    FROM facilities f
    WHERE i.id = ${importId} AND f.id = i.facility_id AND i.status IN ('PLANNING', 'APPLYING')
    RETURNING i.status::text AS status, i.facility_id::text AS facility_id, f.code AS facility_code, i.correlation_id, i.requested_by, i.cursor, i.processed`;
  if (!held) return { outcome: "already_ended", processed: 0 };

  if (held.status === "PLANNING") {
    const next = await planImport(importId, token);
    if (next === null) return { outcome: "already_ended", processed: 0 };
    log.info({ status: next }, "import planned");
    if (next === "FAILED") return { outcome: "failed", processed: 0 };
    if (next === "PLANNED") return { outcome: "planned", processed: 0 };
  }

  // Each change is audited as the import's: the job, the import and who asked for it.
  const actor: Actor = {
    ...systemActor("catalogue-import", held.correlation_id),
    label: `system:catalogue-import ${importId} (asked by ${held.requested_by})`,
  };
  const ctx = { importId, token, actor, facility: { id: held.facility_id, code: held.facility_code } };
  const { batchRows, batchPauseMs, yieldRatio } = config().imports;
  let cursor = held.cursor;
  let processed = held.processed;

  while (!options.signal?.aborted) {
    const batchStarted = performance.now();
    const rows = await db.$queryRaw<PendingRow[]>`
      SELECT line, unit_code, unit_type_code, floor, action::text AS action, before
      FROM catalogue_import_rows
      WHERE import_id = ${importId} AND line > ${cursor} AND status = 'PENDING' AND action IN ('ADD', 'CHANGE', 'RETIRE')
      ORDER BY line LIMIT ${batchRows}`;
    if (!rows.length) break;
    const adds = rows.filter((row) => row.action === "ADD");
    let stillHeld = adds.length ? await applyAdds(ctx, adds) : true;
    for (const row of rows) {
      if (!stillHeld || options.signal?.aborted) break;
      if (row.action !== "ADD") stillHeld = await applyOne(ctx, row);
    }
    if (!stillHeld) break;
    const last = rows[rows.length - 1]!.line;
    await db.$executeRaw`UPDATE catalogue_imports SET cursor = ${last} WHERE id = ${importId} AND runner_token = ${token}::uuid AND cursor < ${last}`;
    cursor = last;
    processed += rows.length;
    await abortableSleep(pauseAfterBatch(performance.now() - batchStarted, { batchPauseMs, yieldRatio }), options.signal);
  }

  if (options.signal?.aborted) {
    log.info({ processed }, "import interrupted; it resumes where it left off");
    return { outcome: "interrupted", processed };
  }
  const done = await db.$executeRaw`
    UPDATE catalogue_imports SET status = 'COMPLETED', finished_at = now()
    WHERE id = ${importId} AND status = 'APPLYING' AND runner_token = ${token}::uuid
      AND NOT EXISTS (SELECT 1 FROM catalogue_import_rows WHERE import_id = ${importId} AND status = 'PENDING')`;
  const [row] = await db.$queryRaw<{ status: string; processed: number }[]>`SELECT status::text AS status, processed FROM catalogue_imports WHERE id = ${importId}`;
  if (done) log.info({ processed: row?.processed }, "import completed");
  const outcome = row?.status === "COMPLETED" ? "completed" : row?.status === "CANCELLED" ? "cancelled" : "already_ended";
  return { outcome, processed: row?.processed ?? processed };
}

/**
 * Hands imports whose runner stopped beating for a minute (its worker was killed) to a new
 * run: enqueues the continuation (same job key) and bumps the heartbeat, so an import
 * waiting for a free worker is not enqueued again every minute. Returns those handed over.
 */
export async function recoverStalledImports(options: { staleAfterMs?: number } = {}): Promise<string[]> {
  const staleAfterMs = options.staleAfterMs ?? 60_000;
  return getDb().$transaction(async (tx) => {
    const stalled = await tx.$queryRaw<{ id: string; correlation_id: string }[]>`
      UPDATE catalogue_imports SET heartbeat_at = now()
      WHERE status IN ('PLANNING', 'APPLYING')
        AND coalesce(heartbeat_at, created_at) < now() - make_interval(secs => ${staleAfterMs / 1000})
      RETURNING id, correlation_id`;
    for (const job of stalled) {
      await enqueueJob(tx, JOBS.catalogueImport, { importId: job.id, correlationId: job.correlation_id }, { jobKey: `${JOBS.catalogueImport}:${job.id}`, maxAttempts: 10 });
    }
    return stalled.map((job) => job.id);
  });
}

/** Marks an import FAILED (its runner gave up), with the reason; rows not applied are SKIPPED. */
export async function failImport(importId: string, reason: string): Promise<void> {
  await getDb().$transaction([
    getDb().$executeRaw`
      UPDATE catalogue_imports SET status = 'FAILED', error = ${reason.slice(0, 500)}, finished_at = now()
      WHERE id = ${importId} AND status IN ('PLANNING', 'APPLYING')`,
    getDb().$executeRaw`
      UPDATE catalogue_import_rows SET status = 'SKIPPED'
      WHERE import_id = ${importId} AND status = 'PENDING' AND EXISTS (SELECT 1 FROM catalogue_imports WHERE id = ${importId} AND status = 'FAILED')`,
  ]);
}
