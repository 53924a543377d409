import { describe, expect, it } from "vitest";
import type { Db } from "../../db";
import { checkReadiness } from "./readiness";

// Stand-ins for the Prisma client: only $queryRaw is used by readiness.
function fakeDb(queryRaw: (sql: TemplateStringsArray) => Promise<unknown>): Db {
  return { $queryRaw: queryRaw } as unknown as Db;
}

describe("checkReadiness", () => {
  it("reports a database that does not answer in time, without internals", async () => {
    const report = await checkReadiness({ db: fakeDb(() => new Promise(() => undefined)), timeoutMs: 50 });
    expect(report.status).toBe("unavailable");
    expect(report.checks.database).toEqual({ ok: false, latency_ms: null, error: "The database did not answer within 50 ms." });
    expect(report.checks.worker.ok).toBe(false);
  });

  it("does not leak the driver's error text", async () => {
    const report = await checkReadiness({ db: fakeDb(() => Promise.reject(new Error("password authentication failed for user x"))) });
    expect(JSON.stringify(report)).not.toContain("password");
    expect(report.checks.database.error).toBe("The database check failed.");
  });

  it("is ok with a live database and a fresh heartbeat", async () => {
    const beat = new Date();
    const db = fakeDb(async (sql) =>
      sql.join("").includes("worker_heartbeats") ? [{ last_beat_at: beat, age_seconds: 12.4 }] : [{ "?column?": 1 }],
    );
    const report = await checkReadiness({ db });
    expect(report.status).toBe("ok");
    expect(report.checks.worker).toEqual({ ok: true, last_beat_at: beat.toISOString(), age_seconds: 12 });
    expect(report.checks.database.ok).toBe(true);
  });

  it("is unavailable when the newest heartbeat is stale or missing", async () => {
    const stale = fakeDb(async (sql) =>
      sql.join("").includes("worker_heartbeats") ? [{ last_beat_at: new Date(0), age_seconds: 999 }] : [{}],
    );
    expect((await checkReadiness({ db: stale })).checks.worker).toMatchObject({ ok: false, age_seconds: 999 });
    const none = fakeDb(async (sql) =>
      sql.join("").includes("worker_heartbeats") ? [{ last_beat_at: null, age_seconds: null }] : [{}],
    );
    const report = await checkReadiness({ db: none });
    expect(report.status).toBe("unavailable");
    expect(report.checks.worker.error).toBe("No worker has reported a heartbeat yet.");
  });
});
