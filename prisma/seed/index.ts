import { systemActor } from "../../server/domain/shared/actor";
import { writeAudit } from "../../server/domain/shared/audit";
import type { Tx } from "../../server/domain/shared/tx";
import type { PrismaClient } from "../../server/generated/prisma/client";
import { correlationIdFrom } from "../../server/observability/correlation";
import { DEMO_FACILITY_CODES, DEMO_UNIT_TYPE_CODES, DEMO_USER_EMAILS, type DemoFacilityCode } from "./catalog";
import { seedDrift } from "./drift";
import { evaluateAlerts } from "../../server/domain/incidents/evaluate-alerts";
import { HISTORY_STEP_NAME, seedHistory, type HistoryOptions, type HistorySummary } from "./history";
import { seedKpiRollup } from "./kpis";
import { BASE_STEPS, emptyRefs, type SeedRefs } from "./steps";
import { seedWebhooks, WEBHOOKS_STEP_NAME, type WebhooksSummary } from "./webhooks";

/**
 * The deterministic demo seed (docs/operations.md#demo-mode-and-demo-data). Only for an
 * empty database: it refuses otherwise, so demo credentials are never mixed into real data.
 *
 * The base steps (BASE_STEPS) write the catalog in one transaction with their audit
 * entry. Steps that drive the domain services, which open transactions of their own,
 * belong after that commit and start from the returned `refs`: the "history" step
 * (./history.ts) is one, ~90 days of bookings made through the booking services.
 */

export * from "./catalog";
export { BASE_STEPS, type SeedRefs, type SeedStep, type SeededUnitType } from "./steps";
export { planUnits, type PlannedUnit } from "./layout";
export { HISTORY_DAYS, HISTORY_STEP_NAME, type HistoryOptions, type HistorySummary } from "./history";
export { appBaseUrl, DELIVERED_HOURS, DEMO_RECEIVER_BEHAVIOUR, repointDemoEndpoints, WEBHOOKS_STEP_NAME, type WebhooksSummary } from "./webhooks";

export interface SeedOptions {
  log?: (line: string) => void;
  /** called at the start of each step (done = 0) and as it advances (done = total at the end) */
  progress?: (step: string, done: number, total: number) => void;
  /**
   * The booking history after the base seed (on by default); `false` skips it (fast
   * seeds for tests), an object sets its clock (`{ now }`: the same now, the same history).
   */
  history?: boolean | Omit<HistoryOptions, "progress">;
  /**
   * The database `db` writes to: the webhooks step (after the history) runs the real
   * dispatcher against it to deliver the last hours of the history. Without it the demo
   * endpoints are created with no deliveries.
   */
  databaseUrl?: string;
}

export interface SeedSummary {
  facilities: number;
  unitTypes: number;
  pools: number;
  units: number;
  partners: number;
  apiKeys: number;
  users: number;
  perFacility: Record<DemoFacilityCode, { unitTypes: number; units: number }>;
  refs: SeedRefs;
  /** null when the history step was skipped */
  history: HistorySummary | null;
  /** null when the history step was skipped (the webhooks step delivers the history's last hours) */
  webhooks: WebhooksSummary | null;
  correlationId: string;
  durationMs: number;
}

export class SeedRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SeedRefusedError";
  }
}

export const BASE_STEP_NAMES: readonly string[] = BASE_STEPS.map((step) => step.name);

// Serialises concurrent seeders (e.g. two processes starting on one fresh database).
const SEED_LOCK_KEY = 0x486f6c64_5eedn;

interface Existing {
  facilities: number;
  partners: number;
  users: number;
}

async function countExisting(db: Tx): Promise<Existing> {
  const [facilities, partners, users] = await Promise.all([db.facility.count(), db.partner.count(), db.user.count()]);
  return { facilities, partners, users };
}

/** True when there is nothing the seed would create: no facilities, partners or users. */
export async function isDatabaseEmpty(db: Tx): Promise<boolean> {
  const existing = await countExisting(db);
  return existing.facilities === 0 && existing.partners === 0 && existing.users === 0;
}

export async function seedDemo(db: PrismaClient, opts: SeedOptions = {}): Promise<SeedSummary> {
  const log = opts.log ?? (() => undefined);
  const started = Date.now();
  const correlationId = correlationIdFrom(undefined);
  const refs = emptyRefs();

  await db.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(${SEED_LOCK_KEY})`;
      const existing = await countExisting(tx);
      if (existing.facilities + existing.partners + existing.users > 0) {
        throw new SeedRefusedError(
          `The demo seed only runs on an empty database, and this one already has ${existing.facilities} facilities, ${existing.partners} partners and ${existing.users} users.`,
        );
      }
      for (const step of BASE_STEPS) {
        const stepStarted = Date.now();
        await step.run({ tx, refs, progress: (done, total) => opts.progress?.(step.name, done, total) });
        log(`${step.name}: done in ${Date.now() - stepStarted} ms`);
      }
      await writeAudit(tx, systemActor("seed", correlationId), {
        action: "seed.demo",
        targetType: "database",
        reason: "Deterministic demo data (docs/operations.md#demo-mode-and-demo-data)",
        metadata: countsOf(refs),
      });
    },
    { maxWait: 10_000, timeout: 120_000 },
  );

  let history: HistorySummary | null = null;
  if (opts.history !== false) {
    history = await seedHistory(db, refs, {
      ...(typeof opts.history === "object" ? opts.history : {}),
      progress: (done, total) => opts.progress?.(HISTORY_STEP_NAME, done, total),
    });
    log(
      `${HISTORY_STEP_NAME}: ${history.holds.created} holds, ${history.fulfilled} move-ins, ${history.cancelled.moveOuts} move-outs ` +
        `over ${history.days} days in ${history.durationMs} ms`,
    );
  }

  let webhooks: WebhooksSummary | null = null;
  if (history) {
    webhooks = await seedWebhooks(db, refs, {
      databaseUrl: opts.databaseUrl,
      now: history.now,
      progress: (done, total) => opts.progress?.(WEBHOOKS_STEP_NAME, done, total),
    });
    const s = webhooks.byStatus;
    log(
      `${WEBHOOKS_STEP_NAME}: ${webhooks.endpoints} endpoints, ${webhooks.deliveries} deliveries (${s.SUCCEEDED} succeeded, ` +
        `${s.RETRYING} retrying, ${s.DEAD} dead), ${webhooks.attempts} attempts in ${webhooks.durationMs} ms`,
    );
  }

  // Demo drift for /drift (issue 6): partner-side faults and one run over them.
  if (history) await seedDrift(db, refs);
  await seedKpiRollup(db, log);
  // The PHONEDESK outage opens its incidents now, not a minute after the first start;
  // the demo ops lead is e-mailed (the mail catcher, /admin/mail) from HIGH up
  // (docs/operations.md#alerts-and-incidents).
  await db.user.updateMany({ where: { email: DEMO_USER_EMAILS.opsLead }, data: { incidentEmailMinSeverity: "HIGH" } });
  // At the history's own "now", so the same history always opens the same incidents.
  const alerts = await db.$transaction((tx) => evaluateAlerts(systemActor("seed", correlationId), { tx, now: history?.now }), { timeout: 60_000 });
  log(`alerts: ${alerts.triggered} incident(s) opened`);

  const counts = countsOf(refs);
  const summary: SeedSummary = { ...counts, refs, history, webhooks, correlationId, durationMs: Date.now() - started };
  log(
    `seeded ${summary.facilities} facilities, ${summary.unitTypes} unit types, ${summary.units} units, ` +
      `${summary.partners} partners, ${summary.users} users in ${summary.durationMs} ms`,
  );
  return summary;
}

function countsOf(refs: SeedRefs): Omit<SeedSummary, "refs" | "history" | "webhooks" | "correlationId" | "durationMs"> {
  const perFacility = {} as SeedSummary["perFacility"];
  for (const code of DEMO_FACILITY_CODES) {
    const types = Object.values(refs.unitTypes[code] ?? {});
    perFacility[code] = { unitTypes: types.length, units: types.reduce((sum, t) => sum + t.units, 0) };
  }
  const facilities = Object.values(perFacility);
  const pools = DEMO_FACILITY_CODES.reduce(
    (sum, code) => sum + DEMO_UNIT_TYPE_CODES.filter((t) => refs.unitTypes[code]?.[t]?.poolId).length,
    0,
  );
  return {
    facilities: Object.keys(refs.facilityIds).length,
    unitTypes: facilities.reduce((sum, f) => sum + f.unitTypes, 0),
    pools,
    units: facilities.reduce((sum, f) => sum + f.units, 0),
    partners: Object.keys(refs.partnerIds).length,
    apiKeys: Object.keys(refs.apiKeyIds).length,
    users: Object.keys(refs.userIds).length,
    perFacility,
  };
}
