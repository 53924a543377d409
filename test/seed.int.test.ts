import crypto from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  API_KEY_SCOPES,
  BASE_STEP_NAMES,
  demoApiKey,
  DEMO_FACILITY_CODES,
  DEMO_PARTNER_CODES,
  DEMO_PASSWORD,
  DEMO_UNIT_COUNT,
  DEMO_UNIT_TYPE_CODES,
  DEMO_USER_EMAILS,
  DEMO_USERS,
  isDatabaseEmpty,
  SeedRefusedError,
  seedDemo,
  type SeedSummary,
} from "../prisma/seed";
import { verifyPassword } from "../server/auth/password";
import { ensureDatabaseExists } from "../server/database/embedded";
import { applyMigrations } from "../server/database/migrate";
import { createPrismaClient } from "../server/db";
import { hashApiKey } from "../server/domain/shared/secrets";
import type { PrismaClient } from "../server/generated/prisma/client";

// The shared test database is used by other files, and the seed needs an empty one:
// this file makes databases of its own beside it (a second proves determinism, a third
// that two seeders racing on one empty database produce one seed).
const adminUrl = inject("databaseUrl");
const suffix = `${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
const names = [`holdfast_seed_a_${suffix}`, `holdfast_seed_b_${suffix}`, `holdfast_seed_c_${suffix}`] as const;
const clients: PrismaClient[] = [];

function urlFor(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function freshDatabase(name: string): Promise<PrismaClient> {
  await ensureDatabaseExists(adminUrl, name);
  await applyMigrations(urlFor(name));
  const client = createPrismaClient(urlFor(name), 4);
  clients.push(client);
  return client;
}

/** What must come out the same on every run. */
async function layoutOf(db: PrismaClient) {
  const units = await db.unit.findMany({
    select: {
      code: true,
      floor: true,
      facility: { select: { code: true } },
      unitType: { select: { code: true, monthlyRateCents: true, widthFt: true, depthFt: true, areaSqFt: true } },
    },
    orderBy: [{ facility: { code: "asc" } }, { code: "asc" }],
  });
  return units.map((u) => ({
    facility: u.facility.code,
    code: u.code,
    floor: u.floor,
    type: u.unitType.code,
    rate: u.unitType.monthlyRateCents,
    size: `${u.unitType.widthFt.toString()}x${u.unitType.depthFt.toString()}=${u.unitType.areaSqFt.toString()}`,
  }));
}

let db: PrismaClient;
let summary: SeedSummary;
const progress: { step: string; done: number; total: number }[] = [];
let emptyBefore: boolean;

beforeAll(async () => {
  db = await freshDatabase(names[0]);
  emptyBefore = await isDatabaseEmpty(db);
  summary = await seedDemo(db, { progress: (step, done, total) => progress.push({ step, done, total }) });
});

afterAll(async () => {
  await Promise.all(clients.map((client) => client.$disconnect()));
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const name of names) await admin.query(`drop database if exists "${name}" with (force)`);
  } finally {
    await admin.end();
  }
});

describe("demo seed", () => {
  it("creates the catalog: 3 facilities, ~600 units, 8+ unit types each", async () => {
    expect(emptyBefore).toBe(true);
    expect(await isDatabaseEmpty(db)).toBe(false);

    const facilities = await db.facility.findMany({ orderBy: { code: "asc" }, include: { _count: { select: { unitTypes: true, units: true } } } });
    expect(facilities.map((f) => [f.code, f.timezone])).toEqual([
      ["LON-01", "Europe/London"],
      ["NYC-01", "America/New_York"],
      ["SYD-01", "Australia/Sydney"],
    ]);
    for (const facility of facilities) {
      expect(facility._count.unitTypes).toBeGreaterThanOrEqual(8);
      expect(facility.name).not.toBe("");
      expect(facility.accessHours).not.toBe("");
    }
    const units = await db.unit.count();
    expect(units).toBe(DEMO_UNIT_COUNT);
    expect(units).toBeGreaterThanOrEqual(550);
    expect(units).toBeLessThanOrEqual(650);
    expect(summary).toMatchObject({ facilities: 3, units, pools: 27, unitTypes: 27, partners: 3, apiKeys: 3, users: 4 });
    expect(Object.keys(summary.refs.facilityIds).sort()).toEqual([...DEMO_FACILITY_CODES]);
  });

  it("gives every unit type a consistent size and a positive rate, and every unit a well-formed code", async () => {
    const types = await db.unitType.findMany();
    for (const type of types) {
      expect(DEMO_UNIT_TYPE_CODES).toContain(type.code);
      expect(type.areaSqFt.toString()).toBe(type.widthFt.mul(type.depthFt).toString());
      expect(type.climateControlled).toBe(type.code.endsWith("-CC"));
      expect(type.monthlyRateCents).toBeGreaterThan(0);
      expect(Number.isInteger(type.monthlyRateCents)).toBe(true);
    }
    const units = await db.unit.findMany({ select: { code: true, floor: true, status: true, poolId: true, unitType: { select: { pool: { select: { id: true } } } } } });
    for (const unit of units) {
      expect(unit.code).toMatch(/^[A-Z]-\d{3}$/);
      expect(unit.floor).toBe(Number(unit.code[2]));
      expect(unit.status).toBe("AVAILABLE");
      expect(unit.poolId).toBe(unit.unitType.pool?.id);
    }
  });

  it("has one pool per unit type whose counters equal its units' statuses, at version 0", async () => {
    const pools = await db.inventoryPool.findMany();
    expect(pools).toHaveLength(await db.unitType.count());
    const byStatus = await db.unit.groupBy({ by: ["poolId", "status"], _count: { _all: true } });
    for (const pool of pools) {
      const count = (status: string) =>
        byStatus.find((row) => row.poolId === pool.id && row.status === status)?._count._all ?? 0;
      expect(pool.total).toBeGreaterThan(0);
      expect({
        total: pool.total,
        available: pool.available,
        held: pool.held,
        booked: pool.booked,
        occupied: pool.occupied,
        blocked: pool.blocked,
      }).toEqual({
        total: count("AVAILABLE") + count("HELD") + count("BOOKED") + count("OCCUPIED") + count("BLOCKED"),
        available: count("AVAILABLE"),
        held: count("HELD"),
        booked: count("BOOKED"),
        occupied: count("OCCUPIED"),
        blocked: count("BLOCKED"),
      });
      expect(pool.available).toBe(pool.total);
      expect(pool.inventoryVersion).toBe(0);
    }
  });

  it("stores the demo API keys hashed, resolvable by hash, with every scope and every facility", async () => {
    for (const code of DEMO_PARTNER_CODES) {
      const key = await db.apiKey.findUnique({ where: { keyHash: hashApiKey(demoApiKey(code)) }, include: { partner: true } });
      expect(key?.partner.code).toBe(code);
      expect(key?.name).toBe("Demo key");
      expect(key?.prefix).toBe(demoApiKey(code).slice(0, 12));
      expect(key?.scopes.sort()).toEqual([...API_KEY_SCOPES].sort());
      expect(key?.facilityIds).toEqual([]);
      expect(key?.revokedAt).toBeNull();
    }
    const kinds = await db.partner.findMany({ orderBy: { code: "asc" }, select: { code: true, kind: true } });
    expect(kinds).toEqual([
      { code: "MARKETPLACE", kind: "MARKETPLACE" },
      { code: "PHONEDESK", kind: "PHONE_AGENT" },
      { code: "WEBSITE", kind: "WEBSITE" },
    ]);
    expect(await db.apiKey.findUnique({ where: { keyHash: hashApiKey("hf_demo_nope") } })).toBeNull();
  });

  it("creates the console users with the demo password; the site manager runs LON-01 only", async () => {
    const users = await db.user.findMany({ include: { facilities: { include: { facility: true } } } });
    expect(users.map((u) => [u.email, u.role]).sort()).toEqual(DEMO_USERS.map((u) => [u.email, u.role]).sort());
    for (const user of users) {
      expect(await verifyPassword(DEMO_PASSWORD, user.passwordHash)).toBe(true);
      expect(user.active).toBe(true);
      const facilities = user.facilities.map((f) => f.facility.code);
      expect(facilities).toEqual(user.email === DEMO_USER_EMAILS.manager ? ["LON-01"] : []);
    }
    expect(await verifyPassword("holdfast-demo!", users[0]!.passwordHash)).toBe(false);
  });

  it("reports progress for each step and writes one system audit entry", async () => {
    expect([...new Set(progress.map((p) => p.step))]).toEqual([...BASE_STEP_NAMES]);
    expect(BASE_STEP_NAMES).toEqual(expect.arrayContaining(["facilities", "unit types", "units", "pools", "partners", "users"]));
    for (const step of BASE_STEP_NAMES) {
      const last = progress.filter((p) => p.step === step).at(-1)!;
      expect(last.done).toBe(last.total);
    }
    const audit = await db.auditEntry.findMany({ where: { action: "seed.demo" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actorType: "SYSTEM", actorLabel: "system:seed", result: "SUCCESS" });
    expect(audit[0]!.metadata).toMatchObject({ facilities: 3, units: DEMO_UNIT_COUNT, users: 4 });
  });

  it("refuses to run again, and changes nothing", async () => {
    const before = { units: await db.unit.count(), audit: await db.auditEntry.count(), users: await db.user.count() };
    await expect(seedDemo(db, {})).rejects.toThrow(SeedRefusedError);
    await expect(seedDemo(db, {})).rejects.toThrow(/only runs on an empty database/);
    expect({ units: await db.unit.count(), audit: await db.auditEntry.count(), users: await db.user.count() }).toEqual(before);
  });

  it("is deterministic: a second fresh database gets the same unit codes, floors, types and rates", async () => {
    const other = await freshDatabase(names[1]);
    await seedDemo(other, {});
    const [a, b] = await Promise.all([layoutOf(db), layoutOf(other)]);
    expect(a).toHaveLength(DEMO_UNIT_COUNT);
    expect(b).toEqual(a);
    expect(new Set(a.map((u) => `${u.facility}/${u.code}`)).size).toBe(a.length);
  });

  it("lets only one of two concurrent seeders write, the other is refused", async () => {
    const racing = await freshDatabase(names[2]);
    const results = await Promise.allSettled([seedDemo(racing, {}), seedDemo(racing, {})]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected");
    expect(refused?.status === "rejected" && refused.reason).toBeInstanceOf(SeedRefusedError);
    expect(await racing.unit.count()).toBe(DEMO_UNIT_COUNT);
    expect(await racing.auditEntry.count({ where: { action: "seed.demo" } })).toBe(1);
  });
});
