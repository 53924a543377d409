import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/**
 * A process's Prometheus metrics, in two registries:
 *
 * - `registry`: what this process itself did — default process metrics, HTTP requests
 *   answered, outgoing webhook attempts. Each process (the web app, every worker) reports
 *   its own: the app at /api/metrics, a worker on its own port (metrics-server.ts).
 * - `snapshotRegistry`: gauges filled from a snapshot of the database at scrape time
 *   (pools, bookings, the newest worker heartbeat). They describe the whole system, not a
 *   process, so only the app's /api/metrics reports them (`renderMetrics`); a worker
 *   serving them too would double every series in a sum across instances.
 *
 * Kept on globalThis because Next.js may evaluate this module once per route bundle (and
 * again on every dev reload); counters must not split or reset.
 */

export interface PoolSnapshot {
  facility: string;
  unitType: string;
  total: number;
  available: number;
  held: number;
  booked: number;
  occupied: number;
  blocked: number;
}

export interface MetricsSnapshot {
  pools: PoolSnapshot[];
  /** status in lower case, as the API spells it */
  bookings: { status: string; count: number }[];
  workerLastBeatAt: Date | null;
  /** how long this database's oldest transaction holding an id has been open (docs/webhooks.md#the-outbox-horizon) */
  outboxHorizonAgeSeconds?: number;
  /** what the alert rules watch (docs/operations.md#alerts-and-incidents); absent: not read */
  alerts?: AlertsSnapshot;
}

export interface AlertsSnapshot {
  /** endpoints with undelivered or dead-lettered deliveries */
  endpoints: { endpoint: string; partner: string; undelivered: number; oldestUndeliveredSeconds: number; deadLetters: number }[];
  openDiscrepancies: { severity: string; count: number }[];
  openIncidents: { severity: string; count: number }[];
  /**
   * Every measurement the built-in alert rules take (server/domain/incidents/read-signals.ts),
   * before thresholds: what ops/prometheus/alerts.yml compares with the same thresholds.
   */
  signals?: AlertSignal[];
  /** per facility, seconds the oldest unreleased hold is past its expiry (0: none) */
  holdExpiryLag?: { facility: string; seconds: number }[];
  /** graphile-worker's queue per task; absent: its schema is not installed yet */
  jobQueue?: JobQueueSnapshot[];
}

export interface AlertSignal {
  rule: string;
  subjectType: string;
  subjectId: string;
  subjectLabel: string;
  value: number;
  /** the severity the signal itself carries (drift), else absent */
  severity?: string;
}

export interface JobQueueSnapshot {
  task: string;
  /** due (run_at passed), not locked, attempts left: waiting for a worker */
  ready: number;
  /** seconds the oldest ready job has waited since its run_at */
  oldestReadySeconds: number;
  /** attempts exhausted: graphile-worker will not run it again */
  failed: number;
}

const POOL_STATES = ["available", "held", "booked", "occupied", "blocked"] as const;

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  const snapshotRegistry = new Registry();
  const snapshotRegisters = [snapshotRegistry];
  return {
    registry,
    snapshotRegistry,
    httpRequestsTotal: new Counter({
      name: "http_requests_total",
      help: "HTTP requests answered, by route pattern, method and status.",
      labelNames: ["route", "method", "status"] as const,
      registers,
    }),
    httpRequestDurationSeconds: new Histogram({
      name: "http_request_duration_seconds",
      help: "Time to answer an HTTP request, by route pattern, method and status.",
      labelNames: ["route", "method", "status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    webhookAttemptsTotal: new Counter({
      name: "webhook_attempts_total",
      help: "Outgoing webhook delivery attempts, by result (success, timeout, connect, tls, http_4xx, http_5xx).",
      labelNames: ["result"] as const,
      registers,
    }),
    poolAvailable: new Gauge({
      name: "holdfast_pool_available",
      help: "Units available to book, per facility and unit type.",
      labelNames: ["facility", "unit_type"] as const,
      registers: snapshotRegisters,
    }),
    poolUnits: new Gauge({
      name: "holdfast_pool_units",
      help: "Units per facility, unit type and state (available, held, booked, occupied, blocked).",
      labelNames: ["facility", "unit_type", "state"] as const,
      registers: snapshotRegisters,
    }),
    poolTotal: new Gauge({
      name: "holdfast_pool_total",
      help: "Units in the pool, per facility and unit type.",
      labelNames: ["facility", "unit_type"] as const,
      registers: snapshotRegisters,
    }),
    bookings: new Gauge({
      name: "holdfast_bookings",
      help: "Bookings by status.",
      labelNames: ["status"] as const,
      registers: snapshotRegisters,
    }),
    workerLastHeartbeatSeconds: new Gauge({
      name: "holdfast_worker_last_heartbeat_seconds",
      help: "Unix time of the newest worker heartbeat (0 when no worker has beaten).",
      registers: snapshotRegisters,
    }),
    outboxHorizonAgeSeconds: new Gauge({
      name: "holdfast_outbox_horizon_age_seconds",
      help: "Age of the oldest open transaction of this database that holds a transaction id: the most the webhook fan-out and event feed can lag behind a committed event.",
      registers: snapshotRegisters,
    }),
    webhookBacklog: new Gauge({
      name: "holdfast_webhook_backlog",
      help: "Undelivered (pending or retrying) deliveries per endpoint.",
      labelNames: ["endpoint", "partner"] as const,
      registers: snapshotRegisters,
    }),
    webhookOldestUndeliveredSeconds: new Gauge({
      name: "holdfast_webhook_oldest_undelivered_seconds",
      help: "Age of the oldest undelivered event per endpoint.",
      labelNames: ["endpoint", "partner"] as const,
      registers: snapshotRegisters,
    }),
    webhookDeadLetters: new Gauge({
      name: "holdfast_webhook_dead_letters",
      help: "Dead-lettered deliveries per endpoint.",
      labelNames: ["endpoint", "partner"] as const,
      registers: snapshotRegisters,
    }),
    openDiscrepancies: new Gauge({
      name: "holdfast_open_discrepancies",
      help: "Open reconciliation discrepancies by severity.",
      labelNames: ["severity"] as const,
      registers: snapshotRegisters,
    }),
    openIncidents: new Gauge({
      name: "holdfast_open_incidents",
      help: "Open (triggered or acknowledged) incidents by severity.",
      labelNames: ["severity"] as const,
      registers: snapshotRegisters,
    }),
    alertSignal: new Gauge({
      name: "holdfast_alert_signal",
      help: "What each built-in alert rule measures, per subject, before its threshold (docs/operations.md#alerts-and-incidents); absent when the subject has nothing to report.",
      labelNames: ["rule", "subject_type", "subject", "subject_label", "signal_severity"] as const,
      registers: snapshotRegisters,
    }),
    holdExpiryLagSeconds: new Gauge({
      name: "holdfast_hold_expiry_lag_seconds",
      help: "Per facility, seconds the oldest hold past its expiry has gone unreleased (0 when none): how far the expiry job lags.",
      labelNames: ["facility"] as const,
      registers: snapshotRegisters,
    }),
    jobQueueDepth: new Gauge({
      name: "holdfast_job_queue_depth",
      help: "Background jobs due and waiting for a worker, per task.",
      labelNames: ["task"] as const,
      registers: snapshotRegisters,
    }),
    jobQueueOldestSeconds: new Gauge({
      name: "holdfast_job_queue_oldest_seconds",
      help: "Seconds the oldest due job has waited for a worker, per task (0 when none waits).",
      labelNames: ["task"] as const,
      registers: snapshotRegisters,
    }),
    jobsFailed: new Gauge({
      name: "holdfast_jobs_failed",
      help: "Background jobs that used up their attempts and will not run again, per task.",
      labelNames: ["task"] as const,
      registers: snapshotRegisters,
    }),
    snapshotUp: new Gauge({
      name: "holdfast_metrics_snapshot_up",
      help: "1 when the database snapshot behind the holdfast_* gauges was read at this scrape, else 0.",
      registers: snapshotRegisters,
    }),
  };
}

export type HoldfastMetrics = ReturnType<typeof createMetrics>;

const GLOBAL_KEY = Symbol.for("holdfast.metrics");
const store = globalThis as unknown as { [GLOBAL_KEY]?: HoldfastMetrics };

export const metrics: HoldfastMetrics = (store[GLOBAL_KEY] ??= createMetrics());

export const METRICS_CONTENT_TYPE = metrics.registry.contentType;

/** The `result` label of webhook_attempts_total. */
export type WebhookAttemptResult = "success" | "timeout" | "connect" | "tls" | "http_4xx" | "http_5xx";

/** Counts one outgoing webhook attempt (server/domain/webhooks/delivery/attempt-delivery.ts, once it is recorded). */
export function countWebhookAttempt(result: WebhookAttemptResult): void {
  metrics.webhookAttemptsTotal.inc({ result });
}

/** This process's own metrics (no database snapshot): what a worker serves. */
export function renderProcessMetrics(): Promise<string> {
  return metrics.registry.metrics();
}

/** Records one answered HTTP request; `route` is the pattern (`/api/v1/bookings/:reference`), never the raw path. */
export function observeHttpRequest(route: string, method: string, status: number, durationSeconds: number): void {
  const labels = { route, method: method.toUpperCase(), status: String(status) };
  metrics.httpRequestsTotal.inc(labels);
  metrics.httpRequestDurationSeconds.observe(labels, durationSeconds);
}

/**
 * Replaces the snapshot gauges. `null` (the database could not be read) clears them, so
 * a scrape never reports stale numbers as current.
 */
export function applySnapshot(snapshot: MetricsSnapshot | null): void {
  const { poolAvailable, poolUnits, poolTotal, bookings, workerLastHeartbeatSeconds, outboxHorizonAgeSeconds, snapshotUp } = metrics;
  const { webhookBacklog, webhookOldestUndeliveredSeconds, webhookDeadLetters, openDiscrepancies, openIncidents } = metrics;
  const { alertSignal, holdExpiryLagSeconds, jobQueueDepth, jobQueueOldestSeconds, jobsFailed } = metrics;
  for (const gauge of [
    poolAvailable, poolUnits, poolTotal, bookings, webhookBacklog, webhookOldestUndeliveredSeconds, webhookDeadLetters, openDiscrepancies, openIncidents,
    alertSignal, holdExpiryLagSeconds, jobQueueDepth, jobQueueOldestSeconds, jobsFailed,
  ]) gauge.reset();
  if (!snapshot) {
    workerLastHeartbeatSeconds.reset();
    outboxHorizonAgeSeconds.reset();
    snapshotUp.set(0);
    return;
  }
  for (const pool of snapshot.pools) {
    const labels = { facility: pool.facility, unit_type: pool.unitType };
    poolAvailable.set(labels, pool.available);
    poolTotal.set(labels, pool.total);
    for (const state of POOL_STATES) poolUnits.set({ ...labels, state }, pool[state]);
  }
  for (const { status, count } of snapshot.bookings) bookings.set({ status }, count);
  workerLastHeartbeatSeconds.set(snapshot.workerLastBeatAt ? snapshot.workerLastBeatAt.getTime() / 1000 : 0);
  if (snapshot.outboxHorizonAgeSeconds === undefined) outboxHorizonAgeSeconds.reset();
  else outboxHorizonAgeSeconds.set(snapshot.outboxHorizonAgeSeconds);
  if (snapshot.alerts) {
    for (const e of snapshot.alerts.endpoints) {
      const labels = { endpoint: e.endpoint, partner: e.partner };
      webhookBacklog.set(labels, e.undelivered);
      webhookOldestUndeliveredSeconds.set(labels, e.oldestUndeliveredSeconds);
      webhookDeadLetters.set(labels, e.deadLetters);
    }
    // Every severity is reported, zero included, so an alert on "> 0" sees it clear.
    for (const severity of ["LOW", "MEDIUM", "HIGH", "CRITICAL"]) {
      openDiscrepancies.set({ severity }, snapshot.alerts.openDiscrepancies.find((d) => d.severity === severity)?.count ?? 0);
      openIncidents.set({ severity }, snapshot.alerts.openIncidents.find((d) => d.severity === severity)?.count ?? 0);
    }
    for (const s of snapshot.alerts.signals ?? []) {
      alertSignal.set(
        { rule: s.rule, subject_type: s.subjectType, subject: s.subjectId, subject_label: s.subjectLabel, signal_severity: s.severity ?? "" },
        s.value,
      );
    }
    for (const { facility, seconds } of snapshot.alerts.holdExpiryLag ?? []) holdExpiryLagSeconds.set({ facility }, seconds);
    for (const q of snapshot.alerts.jobQueue ?? []) {
      jobQueueDepth.set({ task: q.task }, q.ready);
      jobQueueOldestSeconds.set({ task: q.task }, q.oldestReadySeconds);
      jobsFailed.set({ task: q.task }, q.failed);
    }
  }
  snapshotUp.set(1);
}

/**
 * The app's /api/metrics text: this process's metrics and the database snapshot's gauges.
 * Applying the snapshot and reading the gauges happen without an await in between, so
 * concurrent scrapes cannot interleave.
 */
export async function renderMetrics(snapshot: MetricsSnapshot | null): Promise<string> {
  applySnapshot(snapshot);
  const gauges = metrics.snapshotRegistry.metrics();
  const own = metrics.registry.metrics();
  return `${await own}\n${await gauges}`;
}
