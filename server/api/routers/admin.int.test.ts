import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createFacilityWithPool, uniq, type TestPool } from "../../../test/factories";
import { createUser } from "../../../test/user-factory";
import { disconnectDb, getDb } from "../../db";
import { createApiKey } from "../../domain/admin/create-api-key";
import { createPartner } from "../../domain/admin/manage-partners";
import { revokeApiKey } from "../../domain/admin/revoke-api-key";
import { loadSessionUser, type SessionUser } from "../../domain/users/load-session-user";
import { actorForUser } from "../../domain/shared/actor";
import { callerFor, codeOf, testMeta } from "../../../test/trpc-caller";

afterAll(disconnectDb);

const meta = testMeta;
async function sessionUser(options: Parameters<typeof createUser>[0]): Promise<SessionUser> {
  const user = await loadSessionUser((await createUser(options)).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

let admin: SessionUser;
let facility: TestPool;
let partnerCode: string;
let secrets: string[];

beforeAll(async () => {
  admin = await sessionUser({ role: "ADMIN" });
  facility = await createFacilityWithPool({ units: 1 });
  const actor = actorForUser(admin, meta());
  const partner = await createPartner({ code: uniq("RTR").replace("-", "_"), name: "Router Test", kind: "MARKETPLACE", holdTtlSeconds: 600 }, actor);
  partnerCode = partner.code;
  const limited = await createApiKey(
    { partnerId: partner.id, name: "limited", scopes: ["inventory:read", "bookings:read"], facilityIds: [facility.facilityId], readRateLimitPerMinute: 120 },
    actor,
  );
  const old = await createApiKey({ partnerId: partner.id, name: "old", scopes: ["bookings:write"] }, actor);
  await revokeApiKey({ apiKeyId: old.id }, actor);
  secrets = [limited.secret, old.secret];
});

describe("admin router", () => {
  it("is the admin's alone: no session is UNAUTHORIZED, every other role FORBIDDEN", async () => {
    expect(await codeOf(callerFor(null).admin.partners())).toBe("UNAUTHORIZED");
    for (const role of ["SUPPORT", "SITE_MANAGER", "OPS_LEAD"] as const) {
      const caller = callerFor(await sessionUser({ role, facilityIds: role === "SITE_MANAGER" ? [facility.facilityId] : [] }));
      expect(await codeOf(caller.admin.partners()), role).toBe("FORBIDDEN");
      expect(await codeOf(caller.admin.users()), role).toBe("FORBIDDEN");
      expect(await codeOf(caller.admin.options()), role).toBe("FORBIDDEN");
    }
  });

  it("lists partners with their keys: prefixes, scopes, facility codes, limits — never a hash or secret", async () => {
    const partners = await callerFor(admin).admin.partners();
    const partner = partners.find((p) => p.code === partnerCode);
    expect(partner).toMatchObject({ name: "Router Test", kind: "MARKETPLACE", holdTtlSeconds: 600, active: true, activeKeyCount: 1 });
    expect(partner!.keys.map((k) => k.name)).toEqual(["old", "limited"]);
    expect(partner!.keys[1]).toMatchObject({
      scopes: ["inventory:read", "bookings:read"],
      facilities: [{ id: facility.facilityId, code: facility.facilityCode }],
      readRateLimitPerMinute: 120,
      writeRateLimitPerMinute: null,
      revokedAt: null,
    });
    expect(partner!.keys[0]!.revokedAt).toBeInstanceOf(Date);

    const json = JSON.stringify(partners);
    expect(json).not.toMatch(/keyHash|key_hash|secret/i);
    for (const secret of secrets) expect(json).not.toContain(secret);
    const hashes = await getDb().apiKey.findMany({ select: { keyHash: true } });
    for (const { keyHash } of hashes) expect(json).not.toContain(keyHash);
  });

  it("lists users with role, facilities and last sign-in — never a password hash", async () => {
    const manager = await sessionUser({ role: "SITE_MANAGER", facilityIds: [facility.facilityId] });
    const users = await callerFor(admin).admin.users();
    expect(users.find((u) => u.id === manager.id)).toMatchObject({
      email: manager.email,
      role: "SITE_MANAGER",
      active: true,
      facilities: [{ id: facility.facilityId, code: facility.facilityCode }],
      lastLoginAt: null,
    });
    const json = JSON.stringify(users);
    expect(json).not.toMatch(/passwordHash|password_hash|scrypt\$/);
  });

  it("offers the forms' choices", async () => {
    const options = await callerFor(admin).admin.options();
    expect(options.apiScopes).toEqual(["inventory:read", "bookings:read", "bookings:write", "availability:write", "webhooks:manage", "logs:read", "access:read", "catalogue:write"]);
    expect(options.partnerKinds).toEqual(["MARKETPLACE", "PHONE_AGENT", "WEBSITE", "OTHER"]);
    expect(options.roles).toEqual(["SUPPORT", "SITE_MANAGER", "OPS_LEAD", "ADMIN"]);
    expect(options.facilities).toContainEqual({ id: facility.facilityId, code: facility.facilityCode, name: "Test Storage" });
  });
});
