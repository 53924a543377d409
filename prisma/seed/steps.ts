import { hashPassword } from "../../server/auth/password";
import type { Tx } from "../../server/domain/shared/tx";
import { API_KEY_PREFIX_LENGTH } from "../../server/domain/admin/create-api-key";
import { hashApiKey } from "../../server/domain/shared/secrets";
import {
  API_KEY_SCOPES,
  DEMO_API_KEY_NAME,
  DEMO_FACILITIES,
  DEMO_PARTNERS,
  DEMO_PASSWORD,
  DEMO_UNIT_TYPE_CODES,
  DEMO_UNIT_TYPES,
  DEMO_USERS,
  type DemoFacilityCode,
  type DemoPartnerCode,
  type DemoUnitTypeCode,
} from "./catalog";
import { planUnits } from "./layout";

/**
 * The base seed as named steps. They run in order inside one transaction, so a seed
 * that fails part-way leaves the database empty and can simply be run again. Each step
 * records what it created in `refs`, which later steps (and the caller) read.
 */

export interface SeededUnitType {
  id: string;
  poolId: string;
  units: number;
  monthlyRateCents: number;
}

/** Database ids of everything the base seed created, by business identifier. */
export interface SeedRefs {
  facilityIds: Record<DemoFacilityCode, string>;
  unitTypes: Record<DemoFacilityCode, Record<DemoUnitTypeCode, SeededUnitType>>;
  partnerIds: Record<DemoPartnerCode, string>;
  apiKeyIds: Record<DemoPartnerCode, string>;
  /** by email */
  userIds: Record<string, string>;
}

export interface SeedStepContext {
  tx: Tx;
  refs: SeedRefs;
  /** reports this step's progress; the caller draws it */
  progress: (done: number, total: number) => void;
}

export interface SeedStep {
  name: string;
  run: (ctx: SeedStepContext) => Promise<void>;
}

export function emptyRefs(): SeedRefs {
  return {
    facilityIds: {} as SeedRefs["facilityIds"],
    unitTypes: {} as SeedRefs["unitTypes"],
    partnerIds: {} as SeedRefs["partnerIds"],
    apiKeyIds: {} as SeedRefs["apiKeyIds"],
    userIds: {},
  };
}

function decimal(value: number): string {
  return value.toFixed(1);
}

const facilitiesStep: SeedStep = {
  name: "facilities",
  async run({ tx, refs, progress }) {
    progress(0, DEMO_FACILITIES.length);
    const created = await tx.facility.createManyAndReturn({
      data: DEMO_FACILITIES.map((f) => ({
        code: f.code,
        name: f.name,
        timezone: f.timezone,
        addressLine1: f.addressLine1,
        city: f.city,
        postalCode: f.postalCode,
        country: f.country,
        currency: f.currency,
        accessHours: f.accessHours,
      })),
      select: { id: true, code: true },
    });
    for (const row of created) refs.facilityIds[row.code as DemoFacilityCode] = row.id;
    progress(created.length, DEMO_FACILITIES.length);
  },
};

const unitTypesStep: SeedStep = {
  name: "unit types",
  async run({ tx, refs, progress }) {
    const total = DEMO_FACILITIES.length * DEMO_UNIT_TYPE_CODES.length;
    progress(0, total);
    const created = await tx.unitType.createManyAndReturn({
      data: DEMO_FACILITIES.flatMap((facility) =>
        DEMO_UNIT_TYPE_CODES.map((code) => {
          const type = DEMO_UNIT_TYPES[code];
          return {
            facilityId: refs.facilityIds[facility.code],
            code,
            name: type.name,
            widthFt: decimal(type.widthFt),
            depthFt: decimal(type.depthFt),
            areaSqFt: decimal(type.widthFt * type.depthFt),
            climateControlled: type.climateControlled,
            monthlyRateCents: facility.unitMix[code].monthlyRateCents,
          };
        }),
      ),
      select: { id: true, facilityId: true, code: true, monthlyRateCents: true },
    });
    const codeOf = new Map(Object.entries(refs.facilityIds).map(([code, id]) => [id, code as DemoFacilityCode]));
    for (const row of created) {
      const facilityCode = codeOf.get(row.facilityId)!;
      refs.unitTypes[facilityCode] ??= {} as Record<DemoUnitTypeCode, SeededUnitType>;
      refs.unitTypes[facilityCode][row.code as DemoUnitTypeCode] = {
        id: row.id,
        poolId: "",
        units: 0,
        monthlyRateCents: row.monthlyRateCents,
      };
    }
    progress(created.length, total);
  },
};

// Pools start empty; the units step counts its units into them in the same transaction.
const poolsStep: SeedStep = {
  name: "pools",
  async run({ tx, refs, progress }) {
    const types = DEMO_FACILITIES.flatMap((facility) =>
      DEMO_UNIT_TYPE_CODES.map((code) => ({ facility: facility.code, code, type: refs.unitTypes[facility.code][code] })),
    );
    progress(0, types.length);
    const created = await tx.inventoryPool.createManyAndReturn({
      data: types.map(({ facility, type }) => ({ facilityId: refs.facilityIds[facility], unitTypeId: type.id })),
      select: { id: true, unitTypeId: true },
    });
    const poolByType = new Map(created.map((row) => [row.unitTypeId, row.id]));
    for (const { type } of types) type.poolId = poolByType.get(type.id)!;
    progress(created.length, types.length);
  },
};

const unitsStep: SeedStep = {
  name: "units",
  async run({ tx, refs, progress }) {
    const plans = DEMO_FACILITIES.map((facility) => ({ facility, units: planUnits(facility) }));
    const total = plans.reduce((sum, plan) => sum + plan.units.length, 0);
    let done = 0;
    progress(done, total);
    for (const { facility, units } of plans) {
      const facilityId = refs.facilityIds[facility.code];
      const types = refs.unitTypes[facility.code];
      const { count } = await tx.unit.createMany({
        data: units.map((unit) => ({
          facilityId,
          unitTypeId: types[unit.unitTypeCode].id,
          poolId: types[unit.unitTypeCode].poolId,
          code: unit.code,
          floor: unit.floor,
          status: "AVAILABLE" as const,
        })),
      });
      // Counters are counted from the units just written, not from the plan, so they
      // match the facts by construction (and the pool CHECKs hold at every statement).
      await tx.$executeRaw`
        UPDATE inventory_pools AS p
           SET total = c.total,
               available = c.available,
               held = c.held,
               booked = c.booked,
               occupied = c.occupied,
               blocked = c.blocked,
               updated_at = now()
          FROM (SELECT pool_id,
                       count(*)::int AS total,
                       (count(*) FILTER (WHERE status = 'AVAILABLE'))::int AS available,
                       (count(*) FILTER (WHERE status = 'HELD'))::int AS held,
                       (count(*) FILTER (WHERE status = 'BOOKED'))::int AS booked,
                       (count(*) FILTER (WHERE status = 'OCCUPIED'))::int AS occupied,
                       (count(*) FILTER (WHERE status = 'BLOCKED'))::int AS blocked
                  FROM units
                 WHERE facility_id = ${facilityId}::uuid
                 GROUP BY pool_id) AS c
         WHERE p.id = c.pool_id`;
      for (const unit of units) types[unit.unitTypeCode].units += 1;
      done += count;
      progress(done, total);
    }
  },
};

const partnersStep: SeedStep = {
  name: "partners",
  async run({ tx, refs, progress }) {
    progress(0, DEMO_PARTNERS.length);
    const partners = await tx.partner.createManyAndReturn({
      data: DEMO_PARTNERS.map((p) => ({
        code: p.code,
        name: p.name,
        kind: p.kind,
        holdTtlSeconds: p.holdTtlSeconds,
        technicalContactEmail: p.technicalContactEmail,
      })),
      select: { id: true, code: true },
    });
    for (const row of partners) refs.partnerIds[row.code as DemoPartnerCode] = row.id;
    const keys = await tx.apiKey.createManyAndReturn({
      data: DEMO_PARTNERS.map((p) => ({
        partnerId: refs.partnerIds[p.code],
        name: DEMO_API_KEY_NAME,
        prefix: p.apiKey.slice(0, API_KEY_PREFIX_LENGTH),
        keyHash: hashApiKey(p.apiKey),
        scopes: [...API_KEY_SCOPES],
        facilityIds: [],
      })),
      select: { id: true, partnerId: true },
    });
    const partnerCodeOf = new Map(Object.entries(refs.partnerIds).map(([code, id]) => [id, code as DemoPartnerCode]));
    for (const row of keys) refs.apiKeyIds[partnerCodeOf.get(row.partnerId)!] = row.id;
    progress(partners.length, DEMO_PARTNERS.length);
  },
};

const usersStep: SeedStep = {
  name: "users",
  async run({ tx, refs, progress }) {
    progress(0, DEMO_USERS.length);
    // One salt per user; scrypt runs on libuv's pool, so these hash side by side.
    const hashes = await Promise.all(DEMO_USERS.map(() => hashPassword(DEMO_PASSWORD)));
    const users = await tx.user.createManyAndReturn({
      data: DEMO_USERS.map((u, i) => ({ email: u.email, name: u.name, role: u.role, passwordHash: hashes[i]! })),
      select: { id: true, email: true },
    });
    for (const row of users) refs.userIds[row.email] = row.id;
    await tx.userFacility.createMany({
      data: DEMO_USERS.flatMap((u) =>
        u.facilityCodes.map((code) => ({ userId: refs.userIds[u.email]!, facilityId: refs.facilityIds[code] })),
      ),
    });
    progress(users.length, DEMO_USERS.length);
  },
};

/** The base seed, in order (pools before units: a unit's pool must exist). */
export const BASE_STEPS: readonly SeedStep[] = [
  facilitiesStep,
  unitTypesStep,
  poolsStep,
  unitsStep,
  partnersStep,
  usersStep,
];
