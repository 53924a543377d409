import { PARTNER_SCOPES, type PartnerScope } from "@/shared/permissions";
import crypto from "node:crypto";
import { getDb } from "../server/db";
import { actorForUser, type Actor } from "../server/domain/shared/actor";
import { DomainError } from "../server/domain/shared/errors";
import { hashApiKey } from "../server/domain/shared/secrets";

/**
 * Test data with unique codes, so test files can share one database. Inventory is
 * created directly (it is reference data, like the seed's catalogue); every booking
 * change in tests goes through the domain services.
 */

export function uniq(prefix: string): string {
  return `${prefix}-${crypto.randomBytes(4).toString("hex").toUpperCase()}`;
}

export interface TestPool {
  facilityId: string;
  facilityCode: string;
  unitTypeId: string;
  unitTypeCode: string;
  poolId: string;
  unitIds: string[];
}

export async function createFacilityWithPool(
  options: { units?: number; timezone?: string; unitTypeCode?: string } = {},
): Promise<TestPool> {
  const db = getDb();
  const units = options.units ?? 5;
  const facility = await db.facility.create({
    data: {
      code: uniq("F"),
      name: "Test Storage",
      timezone: options.timezone ?? "Europe/London",
      addressLine1: "1 Test Street",
      city: "London",
      postalCode: "E1 1AA",
      country: "GB",
      accessHours: "06:00–22:00",
    },
  });
  const unitType = await db.unitType.create({
    data: {
      facilityId: facility.id,
      code: options.unitTypeCode ?? "10X10",
      name: "10 × 10",
      widthFt: 10,
      depthFt: 10,
      areaSqFt: 100,
      climateControlled: false,
      monthlyRateCents: 12_900,
    },
  });
  const pool = await db.inventoryPool.create({
    data: { facilityId: facility.id, unitTypeId: unitType.id, total: units, available: units },
  });
  await db.unit.createMany({
    data: Array.from({ length: units }, (_, i) => ({
      facilityId: facility.id,
      unitTypeId: unitType.id,
      poolId: pool.id,
      code: `A-${String(100 + i)}`,
      floor: Math.floor(i / 50),
    })),
  });
  const unitIds = (await db.unit.findMany({ where: { poolId: pool.id }, orderBy: { code: "asc" }, select: { id: true } })).map(
    (u) => u.id,
  );
  return {
    facilityId: facility.id,
    facilityCode: facility.code,
    unitTypeId: unitType.id,
    unitTypeCode: unitType.code,
    poolId: pool.id,
    unitIds,
  };
}

export async function addUnitType(facilityId: string, code: string, units: number) {
  const db = getDb();
  const unitType = await db.unitType.create({
    data: { facilityId, code, name: code, widthFt: 5, depthFt: 5, areaSqFt: 25, climateControlled: false, monthlyRateCents: 4_900 },
  });
  const pool = await db.inventoryPool.create({ data: { facilityId, unitTypeId: unitType.id, total: units, available: units } });
  await db.unit.createMany({
    data: Array.from({ length: units }, (_, i) => ({ facilityId, unitTypeId: unitType.id, poolId: pool.id, code: `${code}-${i}` })),
  });
  return { unitTypeId: unitType.id, poolId: pool.id, code };
}

export const ALL_SCOPES: PartnerScope[] = [...PARTNER_SCOPES];

export interface TestPartner {
  id: string;
  code: string;
  apiKey: string;
  apiKeyId: string;
  actor: Actor;
}

export async function createPartner(
  options: { scopes?: PartnerScope[]; facilityIds?: string[]; holdTtlSeconds?: number; rateLimitPerMinute?: number } = {},
): Promise<TestPartner> {
  const db = getDb();
  const code = uniq("P");
  const partner = await db.partner.create({
    data: { code, name: `Partner ${code}`, kind: "MARKETPLACE", holdTtlSeconds: options.holdTtlSeconds ?? 900 },
  });
  const apiKey = `hf_test_${crypto.randomBytes(16).toString("hex")}`;
  const key = await db.apiKey.create({
    data: {
      partnerId: partner.id,
      name: "test",
      prefix: apiKey.slice(0, 12),
      keyHash: hashApiKey(apiKey),
      scopes: options.scopes ?? ALL_SCOPES,
      facilityIds: options.facilityIds ?? [],
    },
  });
  return {
    id: partner.id,
    code,
    apiKey,
    apiKeyId: key.id,
    actor: partnerActor(partner.id, code, options.scopes ?? ALL_SCOPES, options.facilityIds?.length ? options.facilityIds : null),
  };
}

export function partnerActor(id: string, code: string, scopes = ALL_SCOPES, facilityIds: string[] | null = null): Actor {
  return { type: "PARTNER", id, label: code, scopes, facilityIds, correlationId: `cor_test_${crypto.randomUUID()}` };
}

export function holdInput(pool: TestPool, overrides: Record<string, unknown> = {}) {
  return {
    facility_code: pool.facilityCode,
    unit_type_code: pool.unitTypeCode,
    partner_booking_reference: uniq("PBR"),
    customer: { name: "Ada Lovelace", email: "ada@example.com" },
    move_in_date: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10),
    ...overrides,
  };
}

/** Pool counters against the units' real statuses: the invariant every test checks. */
export async function poolState(poolId: string) {
  const db = getDb();
  const pool = await db.inventoryPool.findUniqueOrThrow({ where: { id: poolId } });
  const groups = await db.unit.groupBy({ by: ["status"], where: { poolId }, _count: { _all: true } });
  const count = (s: string) => groups.find((g) => g.status === s)?._count._all ?? 0;
  return {
    pool,
    counters: { available: pool.available, held: pool.held, booked: pool.booked, occupied: pool.occupied, blocked: pool.blocked },
    actual: {
      available: count("AVAILABLE"),
      held: count("HELD"),
      booked: count("BOOKED"),
      occupied: count("OCCUPIED"),
      blocked: count("BLOCKED"),
    },
  };
}

// ───────────── console users and databases of a file's own (maintenance blocks) ─────────────

export type TestRole = "SUPPORT" | "SITE_MANAGER" | "OPS_LEAD" | "ADMIN";

export interface TestUser {
  id: string;
  email: string;
  actor: Actor;
}

/**
 * A console user (a real row, so blocks can name who created them) and the actor the
 * console would build for them: permissions as scopes, a site manager's facilities as
 * the facility scope.
 */
export async function createConsoleUser(options: { role?: TestRole; facilityIds?: string[] } = {}): Promise<TestUser> {
  const role = options.role ?? "OPS_LEAD";
  const facilityIds = options.facilityIds ?? [];
  const email = `${uniq("user").toLowerCase()}@test.holdfast`;
  const user = await getDb().user.create({
    data: {
      email,
      name: `Test ${role.toLowerCase()}`,
      role,
      passwordHash: "not-a-real-hash",
      facilities: { create: facilityIds.map((facilityId) => ({ facilityId })) },
    },
  });
  return {
    id: user.id,
    email,
    actor: actorForUser({ id: user.id, email, role, facilityIds }, { correlationId: `cor_test_${crypto.randomUUID()}` }),
  };
}

/**
 * Points this test file at a fresh, migrated database of its own, beside the shared one,
 * for tests that sweep every row (expireHolds, startDueBlocks, endDueBlocks) with a
 * simulated clock: they must neither disturb other files' data nor be disturbed by
 * other files' sweeps. Call in beforeAll before the file touches the database; returns
 * the cleanup for afterAll (it drops the database).
 */
export async function useOwnDatabase(label: string): Promise<() => Promise<void>> {
  const { ensureDatabaseExists } = await import("../server/database/embedded");
  const { applyMigrations } = await import("../server/database/migrate");
  const { disconnectDb } = await import("../server/db");
  const { default: pg } = await import("pg");
  const sharedUrl = process.env.DATABASE_URL;
  if (!sharedUrl) throw new Error("useOwnDatabase: DATABASE_URL is not set (integration project only).");
  const name = `holdfast_${label.toLowerCase().replace(/[^a-z0-9]+/g, "_")}_${process.pid}_${crypto.randomBytes(3).toString("hex")}`;
  await ensureDatabaseExists(sharedUrl, name);
  const url = new URL(sharedUrl);
  url.pathname = `/${name}`;
  await applyMigrations(url.toString());
  await disconnectDb();
  process.env.DATABASE_URL = url.toString();
  return async () => {
    await disconnectDb();
    process.env.DATABASE_URL = sharedUrl;
    const client = new pg.Client({ connectionString: sharedUrl });
    await client.connect();
    try {
      await client.query(`drop database if exists "${name}" with (force)`);
    } finally {
      await client.end();
    }
  };
}

/**
 * The inventory invariants of docs/domain.md#invariants for one pool, checked against the
 * database; returns what is violated (empty = all hold): counters sum to total and each
 * equals the units in that status; inventory_version equals the pool's inventory.updated
 * events; at most one live booking per unit, on a unit in the matching status (TENTATIVE →
 * HELD, CONFIRMED → BOOKED, FULFILLED → OCCUPIED); a unit is BLOCKED exactly when it has
 * one ACTIVE maintenance block and no live booking.
 */
export async function poolInvariantViolations(poolId: string): Promise<string[]> {
  const db = getDb();
  const problems: string[] = [];
  const { pool, counters, actual } = await poolState(poolId);
  const sum = counters.available + counters.held + counters.booked + counters.occupied + counters.blocked;
  if (sum !== pool.total) problems.push(`counters sum to ${sum}, total is ${pool.total}`);
  for (const key of Object.keys(counters) as (keyof typeof counters)[]) {
    if (counters[key] !== actual[key]) problems.push(`${key}: counter ${counters[key]}, units ${actual[key]}`);
  }
  const events = await db.event.count({ where: { aggregateType: "pool", aggregateId: poolId, type: "inventory.updated" } });
  if (events !== pool.inventoryVersion) problems.push(`inventory_version ${pool.inventoryVersion}, inventory.updated events ${events}`);
  const units = await db.unit.findMany({
    where: { poolId },
    select: {
      code: true,
      status: true,
      bookings: { where: { status: { in: ["TENTATIVE", "CONFIRMED", "FULFILLED"] } }, select: { reference: true, status: true } },
      blocks: { where: { status: "ACTIVE" }, select: { id: true, reason: true } },
    },
  });
  const expectedStatus = { TENTATIVE: "HELD", CONFIRMED: "BOOKED", FULFILLED: "OCCUPIED" } as const;
  for (const unit of units) {
    if (unit.bookings.length > 1) problems.push(`${unit.code}: ${unit.bookings.length} live bookings`);
    const live = unit.bookings[0];
    if (live && expectedStatus[live.status as keyof typeof expectedStatus] !== unit.status) {
      problems.push(`${unit.code}: ${unit.status} with ${live.status} booking ${live.reference}`);
    }
    if (!live && (unit.status === "HELD" || unit.status === "BOOKED" || unit.status === "OCCUPIED")) {
      problems.push(`${unit.code}: ${unit.status} with no live booking`);
    }
    // BLOCKED exactly when one ACTIVE block and no live booking — or OCCUPIED under an
    // overlock or lock fault that keeps its tenant (docs/domain.md#site-operations).
    const tenantBlock = unit.status === "OCCUPIED" && unit.blocks.length === 1 && ["OVERLOCK", "LOCK_FAULT"].includes(unit.blocks[0]!.reason);
    if (!tenantBlock && (unit.status === "BLOCKED") !== (unit.blocks.length === 1)) {
      problems.push(`${unit.code}: ${unit.status} with ${unit.blocks.length} active blocks`);
    }
  }
  return problems;
}

/** The DomainError a call is refused with; fails the test when it succeeds or throws anything else. */
export async function refusalOf(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error("expected a DomainError");
}

/**
 * A reconciliation run's place among merges, as a run that merged its findings stores it:
 * its report lists the discrepancies of its checks opened by it or an earlier merged run and
 * not closed before it (docs/domain.md#reconciliation-and-corrections).
 */
export async function mergedRunFields(): Promise<{ mergedSeq: bigint; mergedAt: Date }> {
  const [row] = await getDb().$queryRaw<{ seq: bigint }[]>`SELECT nextval('reconciliation_merge_seq') AS seq`;
  return { mergedSeq: row!.seq, mergedAt: new Date() };
}
