// bench/import — the bulk lane beside live traffic (docs/domain.md#catalogue-imports):
// BENCH_IMPORT_UNITS (50,000) units imported from one CSV by the real worker
// (scripts/start-worker.ts, a process of its own), and the p99 of live hold+confirm pairs
// (domain services, BENCH_CLIENTS concurrent clients, another pool of the same facility)
// measured while the import runs, beside the same p99 measured idle just before and just
// after (both together: the machine's load drifts), in one run. Goals: the import in under 60 s; the p99 during it within 1.5× of idle.
// Run: npm run bench:import
import crypto from "node:crypto";
import path from "node:path";
import { benchDatabase, percentile, spawnChild } from "../lib";

const UNITS = Number(process.env.BENCH_IMPORT_UNITS ?? 50_000);
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 4);
const IDLE_SECONDS = Number(process.env.BENCH_IDLE_SECONDS ?? 15);
const LIVE_UNITS = 20_000;
const ENCRYPTION_KEY = Buffer.alloc(32, 13).toString("base64");

async function main() {
  const db = await benchDatabase("import");
  Object.assign(process.env, { DATABASE_URL: db.url, DATABASE_POOL_MAX: String(CLIENTS + 4), HOLDFAST_ENCRYPTION_KEY: ENCRYPTION_KEY, LOG_LEVEL: "silent" });
  const { getDb, disconnectDb } = await import("../../server/db");
  const { createHold } = await import("../../server/domain/bookings/create-hold");
  const { confirmBooking } = await import("../../server/domain/bookings/confirm-booking");
  const { createImport } = await import("../../server/domain/catalogue/imports/create-import");
  const { systemActor } = await import("../../server/domain/shared/actor");
  const prisma = getDb();

  const facility = await prisma.facility.create({
    data: { code: "BENCH-IMP", name: "Bench", timezone: "UTC", addressLine1: "1", city: "X", postalCode: "1", country: "GB", accessHours: "24/7" },
  });
  async function unitType(code: string, units: number) {
    const type = await prisma.unitType.create({
      data: { facilityId: facility.id, code, name: code, widthFt: 10, depthFt: 10, areaSqFt: 100, climateControlled: false, monthlyRateCents: 10_000 },
    });
    const pool = await prisma.inventoryPool.create({ data: { facilityId: facility.id, unitTypeId: type.id, total: units, available: units } });
    if (units) {
      await prisma.unit.createMany({
        data: Array.from({ length: units }, (_, i) => ({ facilityId: facility.id, unitTypeId: type.id, poolId: pool.id, code: `${code}-${i}`, floor: Math.floor(i / 100) })),
      });
    }
    return pool.id;
  }
  await unitType("LIVE", LIVE_UNITS);
  const importPools = [await unitType("SMALL", 0), await unitType("LARGE", 0)];
  const partner = await prisma.partner.create({ data: { code: "BENCH", name: "Bench", kind: "OTHER" } });
  const actor = { type: "PARTNER" as const, id: partner.id, label: "BENCH", scopes: ["bookings:write" as const], facilityIds: null, correlationId: "bench" };
  const moveIn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);
  let n = 0;
  async function pair() {
    const ref = `B-${n++}`;
    const who = { ...actor, correlationId: `cor_${ref}` };
    const held = await createHold(
      { facility_code: "BENCH-IMP", unit_type_code: "LIVE", partner_booking_reference: ref, customer: { name: "Bench", email: "bench@example.com" }, move_in_date: moveIn },
      who,
    );
    await confirmBooking(held.reference, who);
  }
  /** live clients until `until` resolves (or `seconds` pass); latencies of the pairs in ms */
  async function live(until: Promise<unknown> | null, seconds: number): Promise<number[]> {
    const latencies: number[] = [];
    let done = false;
    const stopAt = Date.now() + seconds * 1000;
    void until?.finally(() => (done = true));
    await Promise.all(
      Array.from({ length: CLIENTS }, async () => {
        while (!done && (until || Date.now() < stopAt)) {
          const t = performance.now();
          await pair();
          latencies.push(performance.now() - t);
        }
      }),
    );
    return latencies.sort((a, b) => a - b);
  }

  const worker = await spawnChild(
    [path.resolve("scripts/start-worker.ts")],
    {
      PATH: process.env.PATH,
      NODE_ENV: "production",
      DATABASE_URL: db.url,
      DATABASE_POOL_MAX: "10",
      HOLDFAST_DEMO: "0",
      HOLDFAST_WORKER_METRICS_PORT: "0",
      NEXTAUTH_SECRET: crypto.randomBytes(32).toString("hex"),
      HOLDFAST_ENCRYPTION_KEY: ENCRYPTION_KEY,
      PAYMENT_WEBHOOK_SECRET: `whsec_${crypto.randomBytes(24).toString("base64")}`,
      LOG_LEVEL: "info",
      ...Object.fromEntries(Object.entries(process.env).filter(([key]) => key.startsWith("HOLDFAST_IMPORT_"))),
    },
    /"worker started"/,
  );

  try {
    console.log(`bench/import: ${UNITS} units from one CSV; live hold+confirm at ${CLIENTS} clients on a pool of ${LIVE_UNITS}`);
    // warm-up: the worker's first minute (cron catch-up, first queries) is not idle
    await live(null, Number(process.env.BENCH_WARMUP_SECONDS ?? 30));
    const idleBefore = await live(null, IDLE_SECONDS);

    const csv = ["code,unit_type_code,floor", ...Array.from({ length: UNITS }, (_, i) => `U${String(i).padStart(6, "0")},${i % 2 ? "SMALL" : "LARGE"},${i % 20}`)].join("\n");
    const started = performance.now();
    const created = await createImport({ facility_code: "BENCH-IMP", csv, dry_run: false }, systemActor("bench", "cor_bench_import"));
    let plannedMs = 0;
    const finished = (async () => {
      for (;;) {
        const job = await prisma.catalogueImport.findUniqueOrThrow({ where: { id: created.id }, select: { status: true, added: true, failed: true, plannedAt: true } });
        if (job.plannedAt && !plannedMs) plannedMs = job.plannedAt.getTime();
        if (job.status !== "PLANNING" && job.status !== "APPLYING") return job;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    const during = await live(finished, 0);
    const job = await finished;
    const seconds = (performance.now() - started) / 1000;
    // idle again after: on a shared machine the load drifts, so the baseline is both idle spells together
    const idleAfter = await live(null, IDLE_SECONDS);
    const idle = [...idleBefore, ...idleAfter].sort((a, b) => a - b);
    const pools = await prisma.inventoryPool.findMany({ where: { id: { in: importPools } }, select: { total: true } });
    const imported = pools.reduce((sum, p) => sum + p.total, 0);

    const p = (xs: number[], q: number) => percentile(xs, q).toFixed(1);
    const ratio = percentile(during, 99) / percentile(idle, 99);
    console.log(`import: ${job.status}, ${job.added} added, ${job.failed} failed, pools hold ${imported}; ${seconds.toFixed(1)} s (${(UNITS / seconds).toFixed(0)} units/s)  goal < 60 s: ${seconds < 60 ? "met" : "NOT met"}`);
    console.log(`live hold+confirm idle before:   ${idleBefore.length} pairs  p50 ${p(idleBefore, 50)} ms  p99 ${p(idleBefore, 99)} ms`);
    console.log(`live hold+confirm idle after:    ${idleAfter.length} pairs  p50 ${p(idleAfter, 50)} ms  p99 ${p(idleAfter, 99)} ms`);
    console.log(`live hold+confirm idle (both):   ${idle.length} pairs  p50 ${p(idle, 50)} ms  p99 ${p(idle, 99)} ms`);
    console.log(`live hold+confirm during import: ${during.length} pairs  p50 ${p(during, 50)} ms  p99 ${p(during, 99)} ms`);
    console.log(`p99 during / idle: ${ratio.toFixed(2)}×  goal ≤ 1.5×: ${ratio <= 1.5 ? "met" : "NOT met"}`);
    if (job.status !== "COMPLETED" || imported !== UNITS) process.exitCode = 1;
  } finally {
    await worker.stop();
    await disconnectDb();
    await db.stop();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
