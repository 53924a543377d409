import { getDb, type Db } from "../../db";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import { systemActor, type Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit, writeAuditBatch } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { newId } from "@/server/domain/shared/ids";
import { JOBS } from "@/server/domain/shared/jobs";
import type { Tx } from "@/server/domain/shared/tx";
import { applyCorrection, MERGE_LOCK } from "./apply-correction";
import { reconcileConfig, type ReconcileConfig } from "../../config";
import {
  checkAccessGrants,
  checkEndpointVersions,
  checkHoldableUnits,
  checkPartnerSnapshots,
  checkPoolCounters,
  checkUnitStatuses,
  countLiveBookings,
  createFindingsTable,
  nextPoolBatch,
  VOLATILE_KEYS,
} from "./detect";
import { CHECKS, DISCREPANCY_KINDS, KINDS_OF_CHECK, needsApproval, type Check, type DiscrepancyKind } from "@/shared/discrepancy-kinds";

/**
 * One reconciliation run (docs/domain.md#reconciliation-and-corrections). One at a time:
 * the run holds a transaction-scoped advisory lock for its whole scan; a second run that
 * cannot take it gives way (ReconciliationBusyError) instead of reporting the same drift
 * again.
 *
 * The scan is set-based SQL (./detect.ts) in one transaction: counters and unit statuses
 * pool batch by pool batch (keyset), partners and access in one statement each. Findings
 * are then merged into `discrepancies` in a few statements: the same drift found again
 * updates its OPEN discrepancy (one per fingerprint, also a unique index); drift that was
 * acknowledged, ignored or corrected at the same state is not reopened; OPEN drift in the
 * scanned kinds that is no longer found is closed, audited. Progress is written to the
 * run row outside the scan transaction, so the console can show it while it runs.
 *
 * A scheduled run may then apply corrections within the tolerance, each in its own
 * transaction with its event and audit entry (actor system:reconcile).
 */

/** pg advisory lock (two-int form): "HF" + 3 = reconciliation */
const RECONCILE_LOCK = [0x4846_0003, 1] as const;
const MAX_AUTO_CORRECTIONS = 200;

export type ScannedCounts = Record<string, number>;

export interface RunSummary {
  phase: "queued" | "scanning" | "merging" | "correcting" | "done";
  /** checks done so far and what each scanned */
  scanned: Partial<Record<Check, ScannedCounts>>;
  /** the check being scanned, with its progress */
  current?: { check: Check; done: number; total: number } | null;
  /** drift found by this run, per kind (new and still open) */
  found?: Partial<Record<DiscrepancyKind, number>>;
  opened?: number;
  stillOpen?: number;
  /** open discrepancies of the scanned kinds this run did not find again (closed) */
  cleared?: number;
  autoCorrected?: number;
  /** milliseconds per step of the scan */
  timings?: Record<string, number>;
  /** left for an ops lead: beyond tolerance, or auto-correction off */
  awaitingApproval?: number;
  durationMs?: number;
}

export interface RunOptions {
  /** a run created by startReconciliation (queued for the worker); else a new one */
  runId?: string;
  trigger?: "SCHEDULED" | "MANUAL";
  checks?: readonly Check[];
  /** apply corrections within the tolerance (scheduled runs, when configured) */
  autoCorrect?: boolean;
  now?: Date;
  config?: ReconcileConfig;
  correlationId?: string;
  /** the database (the seed's client); the process's by default */
  db?: Db;
}

export interface RunResult {
  runId: string;
  status: "SUCCEEDED" | "FAILED";
  discrepancyCount: number;
  summary: RunSummary;
}

export class ReconciliationBusyError extends DomainError {
  constructor() {
    super("CONFLICT", "Another reconciliation run is in progress; this one waits its turn.", { reason: "run_in_progress" });
  }
}

function checksOf(kinds: readonly string[]): Check[] {
  const wanted = CHECKS.filter((c) => kinds.includes(c));
  return wanted.length ? wanted : [...CHECKS];
}

async function saveProgress(db: Db, runId: string, summary: RunSummary): Promise<void> {
  await db.reconciliationRun.update({ where: { id: runId }, data: { scanned: summary as object } });
}

/**
 * Starts a manual run for the console: the run row and its worker job in one
 * transaction. When a run is already queued or running, that one is returned instead.
 */
export async function startReconciliation(
  input: { checks?: readonly Check[] },
  actor: Actor,
): Promise<{ runId: string; alreadyRunning: boolean }> {
  await authorize(actor, "reconciliation.run");
  return getDb().$transaction(async (tx) => {
    // Serialises two presses of the button: the second sees the first one's run.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${RECONCILE_LOCK[0]}::int, 2)`;
    const running = await tx.reconciliationRun.findFirst({ where: { status: "RUNNING" }, orderBy: { startedAt: "desc" } });
    if (running) return { runId: running.id, alreadyRunning: true };
    const checks = input.checks?.length ? CHECKS.filter((c) => input.checks!.includes(c)) : [...CHECKS];
    const runId = newId("rec");
    await tx.reconciliationRun.create({
      data: {
        id: runId,
        trigger: "MANUAL",
        kinds: checks,
        requestedById: actor.type === "USER" ? actor.id : null,
        scanned: { phase: "queued", scanned: {} } satisfies RunSummary as object,
      },
    });
    await enqueueJob(tx, JOBS.reconcile, { runId, correlationId: actor.correlationId }, { maxAttempts: 10 });
    await writeAudit(tx, actor, { action: "reconciliation.run", targetType: "reconciliation_run", targetId: runId, metadata: { checks } });
    return { runId, alreadyRunning: false };
  });
}

/** Runs reconciliation now (the worker's task; tests). */
export async function runReconciliation(options: RunOptions = {}): Promise<RunResult> {
  const db = options.db ?? getDb();
  const config = options.config ?? reconcileConfig();
  const started = Date.now();
  const correlationId = options.correlationId ?? `cor_reconcile_${started}`;

  let runId = options.runId;
  let checks: Check[];
  if (runId) {
    const run = await db.reconciliationRun.findUnique({ where: { id: runId } });
    if (!run) throw new DomainError("NOT_FOUND", `Reconciliation run ${runId} was not found.`);
    if (run.status !== "RUNNING") {
      return { runId, status: run.status === "FAILED" ? "FAILED" : "SUCCEEDED", discrepancyCount: run.discrepancyCount, summary: run.scanned as unknown as RunSummary };
    }
    checks = checksOf(run.kinds);
  } else {
    checks = options.checks?.length ? CHECKS.filter((c) => options.checks!.includes(c)) : [...CHECKS];
    runId = newId("rec");
    await db.reconciliationRun.create({
      data: { id: runId, trigger: options.trigger ?? "SCHEDULED", kinds: checks, scanned: { phase: "queued", scanned: {} } as object },
    });
  }
  const id = runId;
  const summary: RunSummary = { phase: "scanning", scanned: {}, current: null };

  let found: { kind: DiscrepancyKind; n: number }[];
  try {
    found = await db.$transaction(
      async (tx) => {
        const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`
          SELECT pg_try_advisory_xact_lock(${RECONCILE_LOCK[0]}::int, ${RECONCILE_LOCK[1]}::int) AS locked`;
        if (!lock?.locked) throw new ReconciliationBusyError();
        // Holding the lock, no other run is scanning: RUNNING rows that had started
        // scanning belong to a worker that died mid-run (their transaction rolled back).
        await tx.$executeRaw`
          UPDATE reconciliation_runs SET status = 'FAILED', finished_at = now(), error = 'Interrupted: its worker stopped mid-run; nothing it found was kept.'
          WHERE status = 'RUNNING' AND id <> ${id} AND scanned->>'phase' IS DISTINCT FROM 'queued'`;
        await saveProgress(db, id, summary);
        const now = options.now ?? (await tx.$queryRaw<{ now: Date }[]>`SELECT now() AS now`)[0]!.now;
        await createFindingsTable(tx);
        await scan(tx, db, id, checks, summary, config, now);
        summary.phase = "merging";
        summary.current = null;
        await saveProgress(db, id, summary);
        const merging = Date.now();
        const merged = await mergeFindings(tx, id, checks, summary, correlationId);
        summary.timings = { ...summary.timings, merge: Date.now() - merging };
        return merged;
      },
      { isolationLevel: "ReadCommitted", timeout: 600_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (error instanceof ReconciliationBusyError) {
      // A queued manual run stays queued (its job retries); a scheduled one gives way.
      if (!options.runId) {
        await db.reconciliationRun.update({
          where: { id },
          data: { status: "FAILED", finishedAt: new Date(), error: error.message, scanned: { ...summary, phase: "done" } as object },
        });
      } else {
        await saveProgress(db, id, { phase: "queued", scanned: {} });
      }
      throw error;
    }
    await db.reconciliationRun.update({
      where: { id },
      data: {
        status: "FAILED",
        finishedAt: new Date(),
        error: error instanceof Error ? error.message.slice(0, 500) : String(error),
        scanned: { ...summary, phase: "done" } as object,
      },
    });
    throw error;
  }

  const discrepancyCount = found.reduce((sum, f) => sum + f.n, 0);
  summary.found = Object.fromEntries(found.map((f) => [f.kind, f.n]));

  const autoCorrect = options.autoCorrect ?? false;
  // Every discrepancy of the scanned kinds still open after the merge, and opened by this run
  // or one merged before it, is one this run saw.
  const { mergedSeq } = await db.reconciliationRun.findUniqueOrThrow({ where: { id }, select: { mergedSeq: true } });
  const seenByThisRun = {
    status: "OPEN" as const,
    kind: { in: checks.flatMap((c) => KINDS_OF_CHECK[c]) },
    run: { mergedSeq: { lte: mergedSeq! } },
  };
  summary.autoCorrected = 0;
  if (!autoCorrect) {
    // Nothing is corrected: every open discrepancy this run saw awaits an ops lead (counted,
    // not read: at 100k units that is tens of thousands of rows).
    summary.awaitingApproval = await db.discrepancy.count({ where: seenByThisRun });
  } else {
    const candidates = await db.discrepancy.findMany({
      where: seenByThisRun,
      select: { id: true, kind: true, expected: true, actual: true },
      orderBy: { createdAt: "asc" },
    });
    const withinTolerance = candidates.filter((d) => !needsApproval(d, config.counterTolerance));
    summary.awaitingApproval = candidates.length - withinTolerance.length;
    if (withinTolerance.length) {
      summary.phase = "correcting";
      await saveProgress(db, id, summary);
      const actor = systemActor("reconcile", correlationId);
      for (const discrepancy of withinTolerance.slice(0, MAX_AUTO_CORRECTIONS)) {
        try {
          const result = await db.$transaction(
            (tx) => applyCorrection({ discrepancyId: discrepancy.id, note: `Automatic: within tolerance (${config.counterTolerance})` }, actor, { config, tx }),
            { isolationLevel: "ReadCommitted", timeout: 15_000, maxWait: 10_000 },
          );
          if (result.status === "CORRECTED") summary.autoCorrected++;
        } catch (error) {
          // Another correction (e.g. the same pool's recount) may have closed it first.
          if (!(error instanceof DomainError)) throw error;
        }
      }
      // One correction may settle others too (a recount closes the pool's HOLDABLE drift with
      // its POOL_COUNTER drift): what awaits an ops lead is what is still open.
      summary.awaitingApproval = await db.discrepancy.count({ where: { id: { in: candidates.map((d) => d.id) }, status: "OPEN" } });
    }
  }

  summary.phase = "done";
  summary.durationMs = Date.now() - started;
  await db.reconciliationRun.update({
    where: { id },
    data: { status: "SUCCEEDED", finishedAt: new Date(), discrepancyCount, scanned: summary as object },
  });
  return { runId: id, status: "SUCCEEDED", discrepancyCount, summary };
}

async function scan(tx: Tx, db: Db, runId: string, checks: Check[], summary: RunSummary, config: ReconcileConfig, now: Date): Promise<void> {
  const timings: Record<string, number> = (summary.timings = {});
  const timed = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    try {
      return await work();
    } finally {
      timings[name] = (timings[name] ?? 0) + Date.now() - started;
    }
  };
  if (checks.includes("counters")) {
    const [row] = await tx.$queryRaw<{ pools: number }[]>`SELECT count(*)::int AS pools FROM inventory_pools`;
    const pools = row?.pools ?? 0;
    const counts = { pools: 0, units: 0, liveBookings: 0 };
    summary.current = { check: "counters", done: 0, total: pools };
    let after: string | null = null;
    for (;;) {
      const batch = await nextPoolBatch(tx, after, config.poolBatch);
      if (!batch) break;
      counts.units += await timed("poolCounters", () => checkPoolCounters(tx, batch, config.counterTolerance));
      await timed("unitStatuses", () => checkUnitStatuses(tx, batch, now, config.holdGraceSeconds));
      await timed("holdableUnits", () => checkHoldableUnits(tx, batch));
      counts.pools += batch.pools;
      after = batch.last;
      summary.current = { check: "counters", done: counts.pools, total: pools };
      await saveProgress(db, runId, summary);
    }
    counts.liveBookings = await countLiveBookings(tx);
    summary.scanned.counters = counts;
  }
  if (checks.includes("partners")) {
    summary.current = { check: "partners", done: 0, total: 2 };
    await saveProgress(db, runId, summary);
    const snapshots = await timed("partnerSnapshots", () => checkPartnerSnapshots(tx));
    const endpointPools = await timed("endpointVersions", () => checkEndpointVersions(tx, now, config.ackGraceSeconds));
    summary.scanned.partners = { snapshots, endpointPools };
  }
  if (checks.includes("access")) {
    summary.current = { check: "access", done: 0, total: 1 };
    await saveProgress(db, runId, summary);
    const { grants, fulfilled } = await timed("accessGrants", () => checkAccessGrants(tx));
    summary.scanned.access = { activeGrants: grants, fulfilledBookings: fulfilled };
  }
}

/**
 * Findings → discrepancies, set-based. Returns the drift found per kind (new or still
 * open). Counts for the summary are filled in.
 */
async function mergeFindings(
  tx: Tx,
  runId: string,
  checks: Check[],
  summary: RunSummary,
  correlationId: string,
): Promise<{ kind: DiscrepancyKind; n: number }[]> {
  const volatile = [...VOLATILE_KEYS];
  // This run's place among merges. Closers (resolve, correct) wait while it merges and a merge
  // waits for closers in flight (MERGE_LOCK): a discrepancy open now stays open until commit.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(${MERGE_LOCK[0]}::int, ${MERGE_LOCK[1]}::int)`;
  const [merge] = await tx.$queryRaw<{ seq: bigint }[]>`
    UPDATE reconciliation_runs SET merged_seq = nextval('reconciliation_merge_seq'), merged_at = now() WHERE id = ${runId}
    RETURNING merged_seq AS seq`;
  const mergedSeq = merge!.seq;
  // Drift acknowledged or ignored at this very state is not reopened; nor is drift
  // corrected at this very state (expected and actual both as they were: e.g. a partner's
  // snapshot answered by re-announcing the pool stays what the partner said).
  await tx.$executeRaw`
    DELETE FROM reconcile_findings f
    WHERE EXISTS (SELECT 1 FROM discrepancies d
                  WHERE d.fingerprint = f.fingerprint AND d.status <> 'OPEN'
                    AND (d.actual - ${volatile}::text[]) = (f.actual - ${volatile}::text[])
                    AND (d.status <> 'CORRECTED' OR d.expected = f.expected))`;
  // Still there: seen by this run without a write (its merged_seq places it after the
  // discrepancy's opening run and before any closing). Only a discrepancy whose values
  // changed (severity, summary, expected, actual, the ids) takes the latest ones.
  const [still] = await tx.$queryRaw<{ n: number }[]>`
    WITH seen AS (
      SELECT DISTINCT ON (d.id) d.id, f.severity, f.summary, f.expected, f.actual, f.facility_id, f.pool_id, f.unit_id, f.booking_id,
             f.partner_id, f.endpoint_id,
             (d.severity, d.summary, d.expected, d.actual, d.facility_id, d.pool_id, d.unit_id, d.booking_id, d.partner_id, d.endpoint_id)
               IS DISTINCT FROM (f.severity, f.summary, f.expected, f.actual, f.facility_id, f.pool_id, f.unit_id, f.booking_id, f.partner_id, f.endpoint_id) AS changed
      FROM discrepancies d JOIN reconcile_findings f ON f.fingerprint = d.fingerprint
      WHERE d.status = 'OPEN'
      ORDER BY d.id
    ), updated AS (
      UPDATE discrepancies d
      SET severity = s.severity, summary = s.summary, expected = s.expected, actual = s.actual,
          facility_id = s.facility_id, pool_id = s.pool_id, unit_id = s.unit_id, booking_id = s.booking_id,
          partner_id = s.partner_id, endpoint_id = s.endpoint_id
      FROM seen s WHERE d.id = s.id AND s.changed
    )
    SELECT count(*)::int AS n FROM seen`;
  const stillOpen = still?.n ?? 0;
  const opened = await tx.$executeRaw`
    INSERT INTO discrepancies (run_id, kind, severity, status, facility_id, pool_id, unit_id, booking_id, partner_id, endpoint_id,
                               summary, expected, actual, fingerprint, created_at)
    SELECT DISTINCT ON (f.fingerprint) ${runId}, f.kind, f.severity, 'OPEN', f.facility_id, f.pool_id, f.unit_id, f.booking_id,
           f.partner_id, f.endpoint_id, f.summary, f.expected, f.actual, f.fingerprint, now()
    FROM reconcile_findings f
    WHERE NOT EXISTS (SELECT 1 FROM discrepancies d WHERE d.fingerprint = f.fingerprint AND d.status = 'OPEN')
    ORDER BY f.fingerprint
    ON CONFLICT (fingerprint) WHERE status = 'OPEN' DO NOTHING`;
  // Open drift of the scanned kinds that this run no longer finds went away by itself (or
  // was fixed outside reconciliation): closed, each with its audit entry.
  const kinds = checks.flatMap((c) => KINDS_OF_CHECK[c]);
  const cleared = await tx.$queryRaw<{ id: string; facility_id: string | null; kind: string }[]>`
    UPDATE discrepancies d
    SET status = 'CORRECTED', resolved_at = now(), closed_seq = ${mergedSeq},
        resolution = 'No longer found by run ' || ${runId}::text || ': resolved outside reconciliation.'
    WHERE d.status = 'OPEN' AND d.kind::text = ANY(${kinds}::text[])
      AND NOT EXISTS (SELECT 1 FROM reconcile_findings f WHERE f.fingerprint = d.fingerprint)
    RETURNING d.id, d.facility_id, d.kind::text AS kind`;
  const reconciler = systemActor("reconcile", correlationId);
  await writeAuditBatch(
    tx,
    cleared.map((c) => ({
      actor: reconciler,
      action: "discrepancy.clear",
      targetType: "discrepancy",
      targetId: c.id,
      facilityId: c.facility_id,
      reason: `No longer found by run ${runId}`,
      metadata: { kind: c.kind, run_id: runId },
    })),
  );
  const perKind = await tx.$queryRaw<{ kind: DiscrepancyKind; n: number }[]>`
    SELECT kind::text AS kind, count(DISTINCT fingerprint)::int AS n FROM reconcile_findings GROUP BY kind`;
  summary.opened = opened;
  summary.stillOpen = stillOpen;
  summary.cleared = cleared.length;
  return DISCREPANCY_KINDS.filter((k) => kinds.includes(k)).map((kind) => ({ kind, n: perKind.find((p) => p.kind === kind)?.n ?? 0 }));
}
