import { describe, expect, it, vi } from "vitest";
import { applySnapshot, metrics, observeHttpRequest, renderMetrics, renderProcessMetrics, type MetricsSnapshot } from "./metrics";
import { DEFAULT_WORKER_METRICS_PORT, parseConfig } from "../config";

/** The port HOLDFAST_WORKER_METRICS_PORT asks for, as server/config parses it. */
const workerMetricsPort = (value: string | undefined) =>
  parseConfig(value === undefined ? {} : { HOLDFAST_WORKER_METRICS_PORT: value }).worker.metricsPort;

const snapshot: MetricsSnapshot = {
  pools: [
    { facility: "LON-01", unitType: "10X10-CC", total: 10, available: 4, held: 1, booked: 2, occupied: 2, blocked: 1 },
    { facility: "NYC-01", unitType: "5X5", total: 3, available: 3, held: 0, booked: 0, occupied: 0, blocked: 0 },
  ],
  bookings: [
    { status: "confirmed", count: 7 },
    { status: "tentative", count: 2 },
  ],
  workerLastBeatAt: new Date("2026-11-21T10:00:00Z"),
};

describe("metrics", () => {
  it("renders process metrics and the holdfast gauges from a snapshot", async () => {
    const text = await renderMetrics(snapshot);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
    expect(text).toContain('holdfast_pool_available{facility="LON-01",unit_type="10X10-CC"} 4');
    expect(text).toContain('holdfast_pool_available{facility="NYC-01",unit_type="5X5"} 3');
    expect(text).toContain('holdfast_pool_total{facility="LON-01",unit_type="10X10-CC"} 10');
    expect(text).toContain('holdfast_pool_units{facility="LON-01",unit_type="10X10-CC",state="blocked"} 1');
    expect(text).toContain('holdfast_bookings{status="confirmed"} 7');
    expect(text).toContain(`holdfast_worker_last_heartbeat_seconds ${Date.parse("2026-11-21T10:00:00Z") / 1000}`);
    expect(text).toContain("holdfast_metrics_snapshot_up 1");
  });

  it("renders what the alert rules watch: backlog, oldest undelivered age, dead letters, open discrepancies and incidents", async () => {
    const text = await renderMetrics({
      ...snapshot,
      alerts: {
        endpoints: [{ endpoint: "ep_1", partner: "PHONEDESK", undelivered: 4, oldestUndeliveredSeconds: 97_200, deadLetters: 7 }],
        openDiscrepancies: [{ severity: "HIGH", count: 2 }],
        openIncidents: [{ severity: "MEDIUM", count: 1 }],
      },
    });
    expect(text).toContain('holdfast_webhook_backlog{endpoint="ep_1",partner="PHONEDESK"} 4');
    expect(text).toContain('holdfast_webhook_oldest_undelivered_seconds{endpoint="ep_1",partner="PHONEDESK"} 97200');
    expect(text).toContain('holdfast_webhook_dead_letters{endpoint="ep_1",partner="PHONEDESK"} 7');
    expect(text).toContain('holdfast_open_discrepancies{severity="HIGH"} 2');
    expect(text).toContain('holdfast_open_discrepancies{severity="LOW"} 0');
    expect(text).toContain('holdfast_open_incidents{severity="MEDIUM"} 1');
    expect(await renderMetrics(snapshot)).not.toContain("holdfast_webhook_backlog{");
  });

  it("renders the alert rules' signals, the expiry lag and the job queue", async () => {
    const text = await renderMetrics({
      ...snapshot,
      alerts: {
        endpoints: [],
        openDiscrepancies: [],
        openIncidents: [],
        signals: [
          { rule: "delivery_backlog", subjectType: "endpoint", subjectId: "ep_1", subjectLabel: "PHONEDESK endpoint ep_1", value: 97_200 },
          { rule: "drift_open", subjectType: "facility", subjectId: "f1", subjectLabel: "LON-01", value: 3, severity: "HIGH" },
        ],
        holdExpiryLag: [{ facility: "LON-01", seconds: 0 }, { facility: "NYC-01", seconds: 420 }],
        jobQueue: [{ task: "deliver_webhooks", ready: 12, oldestReadySeconds: 35, failed: 1 }],
      },
    });
    expect(text).toContain('holdfast_alert_signal{rule="delivery_backlog",subject_type="endpoint",subject="ep_1",subject_label="PHONEDESK endpoint ep_1",signal_severity=""} 97200');
    expect(text).toContain('holdfast_alert_signal{rule="drift_open",subject_type="facility",subject="f1",subject_label="LON-01",signal_severity="HIGH"} 3');
    expect(text).toContain('holdfast_hold_expiry_lag_seconds{facility="LON-01"} 0');
    expect(text).toContain('holdfast_hold_expiry_lag_seconds{facility="NYC-01"} 420');
    expect(text).toContain('holdfast_job_queue_depth{task="deliver_webhooks"} 12');
    expect(text).toContain('holdfast_job_queue_oldest_seconds{task="deliver_webhooks"} 35');
    expect(text).toContain('holdfast_jobs_failed{task="deliver_webhooks"} 1');
    // a signal that cleared is gone at the next scrape, so an alert on it resolves
    const cleared = await renderMetrics({ ...snapshot, alerts: { endpoints: [], openDiscrepancies: [], openIncidents: [], signals: [] } });
    expect(cleared).not.toMatch(/^holdfast_alert_signal\{/m);
  });

  it("drops series that vanished, and all snapshot gauges when the database could not be read", async () => {
    await renderMetrics(snapshot);
    const fewer = await renderMetrics({ ...snapshot, pools: snapshot.pools.slice(1), bookings: [] });
    expect(fewer).not.toContain('facility="LON-01"');
    expect(fewer).not.toMatch(/^holdfast_bookings\{/m);

    const failed = await renderMetrics(null);
    expect(failed).not.toMatch(/^holdfast_pool_available\{/m);
    expect(failed).toContain("holdfast_metrics_snapshot_up 0");
    expect(failed).toContain("holdfast_worker_last_heartbeat_seconds 0");
  });

  it("counts HTTP requests with their labels", async () => {
    observeHttpRequest("/api/v1/bookings/:reference", "get", 200, 0.042);
    const text = await renderMetrics(null);
    expect(text).toMatch(/^http_requests_total\{route="\/api\/v1\/bookings\/:reference",method="GET",status="200"\} [1-9]/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="0.05",route="\/api\/v1\/bookings\/:reference",method="GET",status="200"\} [1-9]/m);
  });

  // webhook_attempts_total is counted by the dispatcher itself: server/worker/worker-metrics.int.test.ts
  // delivers through it and scrapes the worker's /metrics.

  it("keeps the database gauges out of a process's own metrics (what a worker serves), and in the app's", async () => {
    const own = await renderProcessMetrics();
    expect(own).toContain("process_cpu_user_seconds_total");
    expect(own).toMatch(/^# TYPE webhook_attempts_total counter$/m);
    expect(own).not.toContain("holdfast_");
    const app = await renderMetrics(snapshot);
    expect(app).toContain("process_cpu_user_seconds_total");
    expect(app).toMatch(/^# TYPE webhook_attempts_total counter$/m);
    expect(app).toContain('holdfast_pool_available{facility="LON-01",unit_type="10X10-CC"} 4');
    // each family once
    expect(app.match(/^# TYPE webhook_attempts_total /gm)).toHaveLength(1);
    expect(app.match(/^# TYPE holdfast_pool_available /gm)).toHaveLength(1);
  });

  it("reads HOLDFAST_WORKER_METRICS_PORT: a port, 0 for any, off for none, 9464 unset", () => {
    expect(workerMetricsPort(undefined)).toBe(DEFAULT_WORKER_METRICS_PORT);
    expect(DEFAULT_WORKER_METRICS_PORT).toBe(9464);
    expect(workerMetricsPort("")).toBe(9464);
    expect(workerMetricsPort("9100")).toBe(9100);
    expect(workerMetricsPort(" 0 ")).toBe(0);
    expect(workerMetricsPort("off")).toBeNull();
    expect(workerMetricsPort("OFF")).toBeNull();
    for (const bad of ["65536", "-1", "9464x", "on", "1e3"]) expect(() => workerMetricsPort(bad)).toThrow(/HOLDFAST_WORKER_METRICS_PORT/);
  });

  it("keeps one registry per process even if the module is evaluated again (route bundles, dev reloads)", async () => {
    vi.resetModules();
    const again = await import("./metrics");
    expect(again.applySnapshot).not.toBe(applySnapshot); // a second evaluation of the module…
    expect(again.metrics.registry).toBe(metrics.registry); // …shares the first one's registry
    expect(again.metrics.httpRequestsTotal).toBe(metrics.httpRequestsTotal);
    expect(again.metrics.snapshotRegistry).toBe(metrics.snapshotRegistry);
  });
});
