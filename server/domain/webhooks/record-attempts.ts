import type { Actor } from "../shared/actor";
import { dispatchPool, inDispatchTransaction, iso, prepared, type Queryable } from "./dispatch-db";
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

export async function recordAttempts(records: readonly AttemptRecord[], options: RecordOptions = {}): Promise<RecordedAttempt[]> {
  if (!records.length) return [];
  const endpoints = [...summarise(records).entries()]
    .filter(([id, s]) => s.lastFail !== null || s.throttle !== null || !options.recentlyHealthy?.(id))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  const acks = new Map<string, { endpointId: string; poolId: string; version: number; at: Date }>();
  for (const r of records) {
    if (!r.ack) continue;
    const key = `${r.endpointId}|${r.ack.poolId}`;
    const seen = acks.get(key);
    if (!seen || seen.version < r.ack.version) acks.set(key, { endpointId: r.endpointId, ...r.ack, at: r.finishedAt });
  }
  const ackRows = [...acks.values()].sort((a, b) => (a.endpointId + a.poolId < b.endpointId + b.poolId ? -1 : 1));

  const write = async (tx: Queryable): Promise<RecordedAttempt[]> => {
    // 1. Endpoint counters. A healthy endpoint answering 2xx is not rewritten per batch
    //    (it would queue every batch on one row): last_success_at is kept to the second.
    const failing = !endpoints.length
      ? []
      : (
          await prepared<{ id: string; failing_since: Date | null }>(
            tx,
            "record_endpoints",
            `WITH a AS (
          SELECT * FROM unnest(
            $1::text[],
            $2::timestamptz[],
            $3::timestamptz[],
            $4::int[],
            $5::timestamptz[],
            $6::timestamptz[]
          ) AS a(endpoint_id, last_ok, last_fail, fails, first_fail, throttle)
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
            [
              endpoints.map(([id]) => id),
              endpoints.map(([, s]) => iso(s.lastOk)),
              endpoints.map(([, s]) => iso(s.lastFail)),
              endpoints.map(([, s]) => s.failsAfterLastOk),
              endpoints.map(([, s]) => iso(s.firstFailAfterLastOk)),
              endpoints.map(([, s]) => iso(s.throttle)),
            ],
          )
        ).rows;

    // 2. Deliveries and attempt rows. A delivery whose lease this attempt no longer holds
    //    (it lapsed; another attempt has it) only counts the attempt — or becomes SUCCEEDED,
    //    since it was delivered; SUCCEEDED is never undone.
    const { rows } = await prepared<{
      id: string;
      attempt_count: number;
      status: DeliveryStatus;
      next_attempt_at: Date | null;
      lease_lost: boolean;
    }>(
      tx,
      "record_deliveries",
      `WITH i AS (
        SELECT * FROM unnest(
          $1::text[],
          $2::uuid[],
          $3::text[],
          $4::boolean[],
          $5::text[],
          $6::timestamptz[],
          $7::timestamptz[],
          $8::timestamptz[],
          $9::int[],
          $10::text[],
          $11::uuid[],
          $12::int[],
          $13::text[],
          $14::text[],
          $15::text[],
          $16::text[],
          $17::text[],
          $18::text[]
        ) AS i(id, token, endpoint_id, success, status, next_at, started_at, finished_at, http_status, trigger, triggered_by,
               duration_ms, body, failure_class, error, headers, signed_with, correlation_id)
      ), d AS (
        UPDATE webhook_deliveries w SET
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
          lease_token = CASE WHEN w.lease_token = i.token THEN NULL ELSE w.lease_token END
        FROM i
        WHERE w.id = i.id AND w.id = ANY($19::text[])
        RETURNING w.id, w.attempt_count, w.status, w.next_attempt_at, w.lease_token IS NOT NULL AS lease_lost
      ), attempt AS (
        INSERT INTO webhook_attempts (delivery_id, endpoint_id, attempt_number, trigger, triggered_by_id, started_at, duration_ms,
                                      response_status, response_body, failure_class, error_message, request_headers, signed_with,
                                      correlation_id)
        SELECT d.id, i.endpoint_id, d.attempt_count,
               coalesce(i.trigger, CASE WHEN d.attempt_count = 1 THEN 'SCHEDULED' ELSE 'RETRY' END)::"AttemptTrigger",
               i.triggered_by, i.started_at, i.duration_ms, i.http_status, i.body, i.failure_class::"FailureClass", i.error,
               i.headers::jsonb, string_to_array(i.signed_with, ','), i.correlation_id
        FROM d JOIN i ON i.id = d.id
      )
      SELECT d.id, d.attempt_count, d.status::text AS status, d.next_attempt_at, d.lease_lost FROM d`,
      [
        records.map((r) => r.deliveryId),
        records.map((r) => r.leaseToken),
        records.map((r) => r.endpointId),
        records.map((r) => r.success),
        records.map((r) => r.status),
        records.map((r) => iso(r.nextAttemptAt)),
        records.map((r) => r.startedAt.toISOString()),
        records.map((r) => r.finishedAt.toISOString()),
        records.map((r) => r.httpStatus),
        records.map((r) => r.trigger),
        records.map((r) => r.triggeredById),
        records.map((r) => r.durationMs),
        records.map((r) => r.responseBody),
        records.map((r) => r.failureClass),
        records.map((r) => r.errorMessage),
        records.map((r) => JSON.stringify(r.requestHeaders)),
        records.map((r) => r.signedWith.join(",")),
        records.map((r) => r.correlationId),
        records.map((r) => r.deliveryId),
      ],
    );

    // 3. What each endpoint has acknowledged: the highest inventory_version per pool.
    if (ackRows.length) {
      await prepared(
        tx,
        "record_acks",
        `INSERT INTO endpoint_pool_acks (endpoint_id, pool_id, acked_version, acked_at)
        SELECT a.endpoint_id, a.pool_id, a.version, a.at
        FROM unnest($1::text[], $2::uuid[], $3::int[], $4::timestamptz[]) AS a(endpoint_id, pool_id, version, at)
        WHERE EXISTS (SELECT 1 FROM inventory_pools p WHERE p.id = a.pool_id)
        ORDER BY a.endpoint_id, a.pool_id
        ON CONFLICT (endpoint_id, pool_id) DO UPDATE
          SET acked_version = EXCLUDED.acked_version, acked_at = EXCLUDED.acked_at
          WHERE endpoint_pool_acks.acked_version < EXCLUDED.acked_version`,
        [
          ackRows.map((a) => a.endpointId),
          ackRows.map((a) => a.poolId),
          ackRows.map((a) => a.version),
          ackRows.map((a) => a.at.toISOString()),
        ],
      );
    }

    const byDelivery = new Map(rows.map((r) => [r.id, r]));

    // 4. Audit entries of the attempts someone asked for, with what each attempt did.
    const audited = records.filter((r) => r.audit && byDelivery.has(r.deliveryId));
    if (audited.length) {
      await tx.query(
        `INSERT INTO audit_entries (actor_type, actor_id, actor_label, action, target_type, target_id, facility_id, result,
                                    ip, user_agent, scope, correlation_id, metadata, occurred_at)
         SELECT a.actor_type::"ActorType", a.actor_id, a.actor_label, a.action, 'webhook_delivery', a.target_id, a.facility_id,
                'SUCCESS'::"AuditResult", a.ip, a.user_agent, a.scope, a.correlation_id, a.metadata::jsonb, a.occurred_at
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::text[],
                     $10::text[], $11::text[], $12::timestamptz[])
           AS a(actor_type, actor_id, actor_label, action, target_id, facility_id, ip, user_agent, scope, correlation_id, metadata,
                occurred_at)`,
        [
          audited.map((r) => r.audit!.actor.type),
          audited.map((r) => r.audit!.actor.id),
          audited.map((r) => r.audit!.actor.label),
          audited.map((r) => r.audit!.action),
          audited.map((r) => r.deliveryId),
          audited.map((r) => r.audit!.facilityId),
          audited.map((r) => r.audit!.actor.ip ?? null),
          audited.map((r) => r.audit!.actor.userAgent ?? null),
          audited.map((r) => (r.audit!.actor.type === "PARTNER" ? r.audit!.actor.scopes.join(" ") : null)),
          audited.map((r) => r.audit!.actor.correlationId),
          audited.map((r) => {
            const row = byDelivery.get(r.deliveryId)!;
            return JSON.stringify({
              ...r.audit!.metadata,
              endpoint_id: r.endpointId,
              trigger: r.trigger,
              attempt_number: row.attempt_count,
              success: r.success,
              response_status: r.httpStatus,
              failure_class: r.failureClass,
              delivery_status: row.status,
            });
          }),
          audited.map((r) => r.finishedAt.toISOString()),
        ],
      );
    }

    const failingSince = new Map(failing.map((f) => [f.id, f.failing_since]));
    return records.map((r) => {
      const row = byDelivery.get(r.deliveryId);
      if (!row) throw new Error(`Delivery ${r.deliveryId} disappeared while being attempted.`);
      return {
        attemptNumber: row.attempt_count,
        status: row.status,
        nextAttemptAt: row.next_attempt_at,
        leaseLost: row.lease_lost && !r.success,
        failingSince: failingSince.get(r.endpointId) ?? null,
      };
    });
  };
  // One statement needs no transaction of its own (the usual case: healthy endpoints,
  // no inventory acknowledgements, nothing to audit).
  if (records.some((r) => r.audit)) {
    return inDispatchTransaction(async (tx) => {
      await tx.query("SET LOCAL synchronous_commit = on");
      return write(tx);
    });
  }
  return endpoints.length || ackRows.length ? inDispatchTransaction(write) : write(dispatchPool());
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
