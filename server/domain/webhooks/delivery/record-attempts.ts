import type { Actor } from "@/server/domain/shared/actor";
import { auditInsert, type AuditEntry } from "@/server/domain/shared/audit";
import { unnestFrom, unnestValues, type UnnestColumn } from "@/server/domain/shared/unnest";
import { asyncCommitPool, inAsyncCommitTransaction, iso, prepared, type Queryable } from "@/server/domain/shared/async-commit-db";
import type { DeliveryStatus } from "./claim-deliveries";
import type { FailureClass } from "./retry-policy";

/**
 * Writing attempts' outcomes, many per transaction. Each attempt's row, its delivery's new
 * state and schedule, its endpoint's counters and its pool acknowledgement commit
 * together; grouping finished attempts into one transaction (AttemptRecorder) turns a
 * thousand commits a second into a few dozen without delaying any request.
 *
 * Statements run in a fixed order — endpoints (locked in id order), deliveries and
 * attempts, acknowledgements (in key order), audit entries — so concurrent batches, in
 * this process or another, can wait for each other but never deadlock.
 *
 * An attempt someone asked for (a replay) carries its audit entry, written in the same
 * transaction as the attempt row — and that transaction commits durably (the pool's
 * synchronous_commit=off is for the dispatcher's rebuildable bookkeeping only).
 */

/** The audit entry of an attempt someone asked for; the attempt's outcome is added to its metadata. */
export interface AttemptAudit {
  actor: Actor;
  action: string;
  facilityId: string | null;
  metadata: Record<string, unknown>;
}

export interface AttemptRecord {
  deliveryId: string;
  endpointId: string;
  leaseToken: string;
  /** null: SCHEDULED for a first attempt, RETRY after */
  trigger: string | null;
  triggeredById: string | null;
  correlationId: string | null;
  startedAt: Date;
  finishedAt: Date;
  durationMs: number;
  success: boolean;
  httpStatus: number | null;
  responseBody: string | null;
  failureClass: FailureClass | null;
  errorMessage: string | null;
  requestHeaders: Record<string, string>;
  signedWith: string[];
  /** what the delivery becomes, if this attempt still holds its lease */
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  throttleUntil: Date | null;
  /** an inventory.updated answered 2xx: the pool and version acknowledged */
  ack: { poolId: string; version: number } | null;
  audit?: AttemptAudit | null;
}

export interface RecordedAttempt {
  attemptNumber: number;
  status: DeliveryStatus;
  nextAttemptAt: Date | null;
  /** the lease had lapsed and another attempt had taken the delivery: this one was recorded, the schedule left alone */
  leaseLost: boolean;
  /** the endpoint's failure streak start after this batch (null: not failing, or not rewritten) */
  failingSince: Date | null;
}

interface EndpointSummary {
  lastOk: Date | null;
  lastFail: Date | null;
  failsAfterLastOk: number;
  firstFailAfterLastOk: Date | null;
  throttle: Date | null;
}

/** Per endpoint: what this batch says about its failure streak, in finishing order. */
function summarise(records: readonly AttemptRecord[]): Map<string, EndpointSummary> {
  const out = new Map<string, EndpointSummary>();
  const sorted = [...records].sort((a, b) => a.finishedAt.getTime() - b.finishedAt.getTime());
  for (const r of sorted) {
    const s = out.get(r.endpointId) ?? { lastOk: null, lastFail: null, failsAfterLastOk: 0, firstFailAfterLastOk: null, throttle: null };
    if (r.success) {
      s.lastOk = r.finishedAt;
      s.failsAfterLastOk = 0;
      s.firstFailAfterLastOk = null;
    } else {
      s.lastFail = r.finishedAt;
      s.failsAfterLastOk++;
      s.firstFailAfterLastOk ??= r.finishedAt;
    }
    if (r.throttleUntil && (!s.throttle || r.throttleUntil > s.throttle)) s.throttle = r.throttleUntil;
    out.set(r.endpointId, s);
  }
  return out;
}

export interface RecordOptions {
  /**
   * Endpoints this process has just (within a second) seen healthy and written so: a batch
   * of nothing but their successes leaves their row alone. Counters may lag by that second.
   */
  recentlyHealthy?: (endpointId: string) => boolean;
}

interface AckRow {
  endpointId: string;
  poolId: string;
  version: number;
  at: Date;
}

/** What the deliveries statement returns per delivery. */
interface DeliveryRow {
  id: string;
  attempt_count: number;
  status: DeliveryStatus;
  next_attempt_at: Date | null;
  lease_lost: boolean;
}

export async function recordAttempts(records: readonly AttemptRecord[], options: RecordOptions = {}): Promise<RecordedAttempt[]> {
  if (!records.length) return [];
  const endpoints = endpointsToRewrite(records, options);
  const acks = latestAcks(records);
  const write = async (db: Queryable): Promise<RecordedAttempt[]> => {
    const failing = await updateEndpoints(db, endpoints);
    const deliveries = await updateDeliveries(db, records);
    await upsertAcks(db, acks);
    await auditRequestedAttempts(db, records, deliveries);
    return outcomes(records, deliveries, failing);
  };
  // One statement needs no transaction of its own (the usual case: healthy endpoints,
  // no inventory acknowledgements, nothing to audit).
  if (records.some((r) => r.audit)) {
    return inAsyncCommitTransaction(async (tx) => {
      await tx.query("SET LOCAL synchronous_commit = on");
      return write(tx);
    });
  }
  return endpoints.length || acks.length ? inAsyncCommitTransaction(write) : write(asyncCommitPool());
}

/** The endpoints whose row this batch changes, in id order (the lock order). */
function endpointsToRewrite(records: readonly AttemptRecord[], options: RecordOptions): [string, EndpointSummary][] {
  return [...summarise(records).entries()]
    .filter(([id, s]) => s.lastFail !== null || s.throttle !== null || !options.recentlyHealthy?.(id))
    .sort(([a], [b]) => (a < b ? -1 : 1));
}

/** Per endpoint and pool, the highest inventory_version acknowledged, in key order (the lock order). */
function latestAcks(records: readonly AttemptRecord[]): AckRow[] {
  const acks = new Map<string, AckRow>();
  for (const r of records) {
    if (!r.ack) continue;
    const key = `${r.endpointId}|${r.ack.poolId}`;
    const seen = acks.get(key);
    if (!seen || seen.version < r.ack.version) acks.set(key, { endpointId: r.endpointId, ...r.ack, at: r.finishedAt });
  }
  return [...acks.values()].sort((a, b) => (a.endpointId + a.poolId < b.endpointId + b.poolId ? -1 : 1));
}

const ENDPOINT_COLUMNS: readonly UnnestColumn<[string, EndpointSummary]>[] = [
  { name: "endpoint_id", type: "text", value: ([id]) => id },
  { name: "last_ok", type: "timestamptz", value: ([, s]) => iso(s.lastOk) },
  { name: "last_fail", type: "timestamptz", value: ([, s]) => iso(s.lastFail) },
  { name: "fails", type: "int", value: ([, s]) => s.failsAfterLastOk },
  { name: "first_fail", type: "timestamptz", value: ([, s]) => iso(s.firstFailAfterLastOk) },
  { name: "throttle", type: "timestamptz", value: ([, s]) => iso(s.throttle) },
];

/**
 * 1. Endpoint counters. A healthy endpoint answering 2xx is not rewritten per batch (it
 *    would queue every batch on one row): last_success_at is kept to the second.
 */
async function updateEndpoints(db: Queryable, endpoints: readonly [string, EndpointSummary][]): Promise<Map<string, Date | null>> {
  if (!endpoints.length) return new Map();
  const { rows } = await prepared<{ id: string; failing_since: Date | null }>(
    db,
    "record_endpoints",
    `WITH a AS (
      SELECT * FROM ${unnestFrom(ENDPOINT_COLUMNS, "a")}
    ), locked AS (
      SELECT ep.id FROM webhook_endpoints ep JOIN a ON a.endpoint_id = ep.id
      WHERE a.last_fail IS NOT NULL OR a.throttle IS NOT NULL OR ep.consecutive_failures <> 0 OR ep.failing_since IS NOT NULL
         OR ep.last_success_at IS NULL OR ep.last_success_at < a.last_ok - interval '1 second'
      ORDER BY ep.id
      FOR UPDATE OF ep
    )
    UPDATE webhook_endpoints ep SET
      consecutive_failures = CASE WHEN a.last_ok IS NOT NULL THEN a.fails ELSE ep.consecutive_failures + a.fails END,
      failing_since = CASE WHEN a.last_ok IS NOT NULL THEN a.first_fail ELSE coalesce(ep.failing_since, a.first_fail) END,
      last_success_at = greatest(ep.last_success_at, a.last_ok),
      last_failure_at = greatest(ep.last_failure_at, a.last_fail),
      throttled_until = greatest(ep.throttled_until, a.throttle)
    FROM a, locked
    WHERE ep.id = a.endpoint_id AND locked.id = ep.id
    RETURNING ep.id, ep.failing_since`,
    unnestValues(ENDPOINT_COLUMNS, endpoints),
  );
  return new Map(rows.map((row) => [row.id, row.failing_since]));
}

/** One attempt as the deliveries statement reads it (`i`). */
const ATTEMPT_COLUMNS: readonly UnnestColumn<AttemptRecord>[] = [
  { name: "id", type: "text", value: (r) => r.deliveryId },
  { name: "token", type: "uuid", value: (r) => r.leaseToken },
  { name: "endpoint_id", type: "text", value: (r) => r.endpointId },
  { name: "success", type: "boolean", value: (r) => r.success },
  { name: "status", type: "text", value: (r) => r.status },
  { name: "next_at", type: "timestamptz", value: (r) => iso(r.nextAttemptAt) },
  { name: "started_at", type: "timestamptz", value: (r) => r.startedAt.toISOString() },
  { name: "finished_at", type: "timestamptz", value: (r) => r.finishedAt.toISOString() },
  { name: "http_status", type: "int", value: (r) => r.httpStatus },
  { name: "trigger", type: "text", value: (r) => r.trigger },
  { name: "triggered_by", type: "uuid", value: (r) => r.triggeredById },
  { name: "duration_ms", type: "int", value: (r) => r.durationMs },
  { name: "body", type: "text", value: (r) => r.responseBody },
  { name: "failure_class", type: "text", value: (r) => r.failureClass },
  { name: "error", type: "text", value: (r) => r.errorMessage },
  { name: "headers", type: "text", value: (r) => JSON.stringify(r.requestHeaders) },
  { name: "signed_with", type: "text", value: (r) => r.signedWith.join(",") },
  { name: "correlation_id", type: "text", value: (r) => r.correlationId },
];

/** The new state of a delivery after an attempt (`w`), given the attempt (`i`). */
const DELIVERY_UPDATE = `
  attempt_count = w.attempt_count + 1,
  last_attempt_at = greatest(w.last_attempt_at, i.started_at),
  last_status = i.http_status,
  status = CASE
    WHEN w.status = 'SUCCEEDED' OR i.success THEN 'SUCCEEDED'::"DeliveryStatus"
    WHEN w.lease_token IS DISTINCT FROM i.token THEN w.status
    ELSE i.status::"DeliveryStatus" END,
  next_attempt_at = CASE
    WHEN w.status = 'SUCCEEDED' OR i.success THEN NULL
    WHEN w.lease_token IS DISTINCT FROM i.token THEN w.next_attempt_at
    WHEN NOT EXISTS (SELECT 1 FROM webhook_endpoints ep
                     WHERE ep.id = w.endpoint_id AND ep.status = 'ACTIVE' AND ep.deleted_at IS NULL) THEN NULL
    ELSE i.next_at END,
  succeeded_at = CASE WHEN i.success THEN coalesce(w.succeeded_at, i.finished_at) ELSE w.succeeded_at END,
  dead_at = CASE
    WHEN w.lease_token = i.token AND w.status <> 'SUCCEEDED' AND NOT i.success AND i.status = 'DEAD'
    THEN coalesce(w.dead_at, i.finished_at) ELSE w.dead_at END,
  locked_until = CASE WHEN w.lease_token = i.token THEN NULL ELSE w.locked_until END,
  lease_token = CASE WHEN w.lease_token = i.token THEN NULL ELSE w.lease_token END`;

/** The attempt's row (`d` is its delivery after the update). */
const ATTEMPT_INSERT = `
  INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempt_number, trigger, triggered_by_id, started_at, duration_ms,
                                response_status, response_body, failure_class, error_message, request_headers, signed_with,
                                correlation_id)
  SELECT d.id, i.endpoint_id, d.attempt_count,
         coalesce(i.trigger, CASE WHEN d.attempt_count = 1 THEN 'SCHEDULED' ELSE 'RETRY' END)::"AttemptTrigger",
         i.triggered_by, i.started_at, i.duration_ms, i.http_status, i.body, i.failure_class::"FailureClass", i.error,
         i.headers::jsonb, string_to_array(i.signed_with, ','), i.correlation_id
  FROM d JOIN i ON i.id = d.id`;

/**
 * 2. Deliveries and attempt rows, in one statement. A delivery whose lease this attempt
 *    no longer holds (it lapsed; another attempt has it) only counts the attempt — or
 *    becomes SUCCEEDED, since it was delivered; SUCCEEDED is never undone.
 */
async function updateDeliveries(db: Queryable, records: readonly AttemptRecord[]): Promise<Map<string, DeliveryRow>> {
  const { rows } = await prepared<DeliveryRow>(
    db,
    "record_deliveries",
    `WITH i AS (
      SELECT * FROM ${unnestFrom(ATTEMPT_COLUMNS, "i")}
    ), d AS (
      UPDATE webhook_deliveries w SET ${DELIVERY_UPDATE}
      FROM i
      WHERE w.id = i.id AND w.id = ANY($1::text[])
      RETURNING w.id, w.attempt_count, w.status, w.next_attempt_at, w.lease_token IS NOT NULL AS lease_lost
    ), attempt AS (${ATTEMPT_INSERT}
    )
    SELECT d.id, d.attempt_count, d.status::text AS status, d.next_attempt_at, d.lease_lost FROM d`,
    unnestValues(ATTEMPT_COLUMNS, records),
  );
  return new Map(rows.map((row) => [row.id, row]));
}

const ACK_COLUMNS: readonly UnnestColumn<AckRow>[] = [
  { name: "endpoint_id", type: "text", value: (a) => a.endpointId },
  { name: "pool_id", type: "uuid", value: (a) => a.poolId },
  { name: "version", type: "int", value: (a) => a.version },
  { name: "at", type: "timestamptz", value: (a) => a.at.toISOString() },
];

/** 3. What each endpoint has acknowledged: the highest inventory_version per pool. */
async function upsertAcks(db: Queryable, acks: readonly AckRow[]): Promise<void> {
  if (!acks.length) return;
  await prepared(
    db,
    "record_acks",
    `INSERT INTO endpoint_pool_acks (endpoint_id, pool_id, acked_version, acked_at)
    SELECT a.endpoint_id, a.pool_id, a.version, a.at
    FROM ${unnestFrom(ACK_COLUMNS, "a")}
    WHERE EXISTS (SELECT 1 FROM inventory_pools p WHERE p.id = a.pool_id)
    ORDER BY a.endpoint_id, a.pool_id
    ON CONFLICT (endpoint_id, pool_id) DO UPDATE
      SET acked_version = EXCLUDED.acked_version, acked_at = EXCLUDED.acked_at
      WHERE endpoint_pool_acks.acked_version < EXCLUDED.acked_version`,
    unnestValues(ACK_COLUMNS, acks),
  );
}

/** 4. Audit entries of the attempts someone asked for, with what each attempt did. */
async function auditRequestedAttempts(
  db: Queryable,
  records: readonly AttemptRecord[],
  deliveries: ReadonlyMap<string, DeliveryRow>,
): Promise<void> {
  const entries: AuditEntry[] = [];
  for (const r of records) {
    const delivery = deliveries.get(r.deliveryId);
    if (!r.audit || !delivery) continue;
    entries.push({
      actor: r.audit.actor,
      action: r.audit.action,
      targetType: "webhook_delivery",
      targetId: r.deliveryId,
      facilityId: r.audit.facilityId,
      metadata: {
        ...r.audit.metadata,
        endpoint_id: r.endpointId,
        trigger: r.trigger,
        attempt_number: delivery.attempt_count,
        success: r.success,
        response_status: r.httpStatus,
        failure_class: r.failureClass,
        delivery_status: delivery.status,
      },
      at: r.finishedAt,
    });
  }
  if (entries.length) await db.query(auditInsert(entries));
}

/** What each record became, in the order given. */
function outcomes(
  records: readonly AttemptRecord[],
  deliveries: ReadonlyMap<string, DeliveryRow>,
  failingSince: ReadonlyMap<string, Date | null>,
): RecordedAttempt[] {
  return records.map((r) => {
    const delivery = deliveries.get(r.deliveryId);
    if (!delivery) throw new Error(`Delivery ${r.deliveryId} disappeared while being attempted.`);
    return {
      attemptNumber: delivery.attempt_count,
      status: delivery.status,
      nextAttemptAt: delivery.next_attempt_at,
      leaseLost: delivery.lease_lost && !r.success,
      failingSince: failingSince.get(r.endpointId) ?? null,
    };
  });
}

/**
 * Group commit for finished attempts: `record()` joins the next batch; a batch is written
 * as soon as a writer is free (at most `writers` at once), so nothing waits for a timer
 * and batches grow by themselves under load. A batch that fails is retried one attempt
 * at a time, so one bad record cannot sink the others.
 */
export class AttemptRecorder {
  private queue: { record: AttemptRecord; resolve: (r: RecordedAttempt) => void; reject: (e: unknown) => void }[] = [];
  private writing = 0;
  private idle: (() => void)[] = [];
  /** endpoint id → when this recorder last wrote it healthy */
  private healthyAt = new Map<string, number>();
  private readonly recentlyHealthy = (endpointId: string) => Date.now() - (this.healthyAt.get(endpointId) ?? 0) < 1000;

  constructor(
    private readonly maxBatch = 250,
    private readonly writers = 4,
  ) {}

  record(record: AttemptRecord): Promise<RecordedAttempt> {
    return new Promise((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      this.kick();
    });
  }

  /** Resolves once everything queued so far is written. */
  drained(): Promise<void> {
    if (!this.queue.length && !this.writing) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  private kick(): void {
    while (this.writing < this.writers && this.queue.length) {
      const batch = this.queue.splice(0, this.maxBatch);
      this.writing++;
      void this.write(batch).finally(() => {
        this.writing--;
        this.kick();
        if (!this.queue.length && !this.writing) for (const done of this.idle.splice(0)) done();
      });
    }
  }

  private async write(batch: AttemptRecorder["queue"]): Promise<void> {
    const records = batch.map((b) => b.record);
    try {
      const results = await recordAttempts(records, { recentlyHealthy: this.recentlyHealthy });
      const written = Date.now();
      const failed = new Set(records.filter((r) => !r.success).map((r) => r.endpointId));
      for (const r of records) {
        if (failed.has(r.endpointId)) this.healthyAt.delete(r.endpointId);
        else if (!this.recentlyHealthy(r.endpointId)) this.healthyAt.set(r.endpointId, written);
      }
      batch.forEach((b, i) => b.resolve(results[i]!));
    } catch (error) {
      if (batch.length === 1) return batch[0]!.reject(error);
      for (const b of batch) {
        await recordAttempts([b.record]).then(([r]) => b.resolve(r!), b.reject);
      }
    }
  }
}
