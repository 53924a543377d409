import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../db";
import { createConsoleUser, uniq } from "../../../test/factories";
import { permissionsOf } from "@/shared/permissions";
import { authenticateApiKey } from "../partners/authenticate-api-key";
import type { Actor } from "@/server/domain/shared/actor";
import { DomainError } from "@/server/domain/shared/errors";
import { createApiKey } from "./create-api-key";
import { createPartner, updatePartner } from "./manage-partners";
import { createUser, updateUser } from "./manage-users";
import { revokeApiKey } from "./revoke-api-key";

afterAll(disconnectDb);

let admin: Actor;
beforeAll(async () => {
  const email = `${uniq("admin").toLowerCase()}@example.com`;
  const user = await getDb().user.create({ data: { email, name: "Admin", role: "ADMIN", passwordHash: "x" } });
  admin = { type: "USER", id: user.id, label: email, scopes: permissionsOf({ role: "ADMIN", facilityIds: [] }), facilityIds: null, correlationId: "cor_admin_test" };
});

describe("admin: partners, API keys, users", () => {
  it("creates a partner and a key shown once; the key works until revoked; all audited", async () => {
    const partner = await createPartner({ code: uniq("ACME").replace("-", "_"), name: "Acme Storage Finder", kind: "MARKETPLACE" }, admin);
    const key = await createApiKey({ partnerId: partner.id, name: "production", scopes: ["inventory:read", "bookings:write"] }, admin);
    expect(key.secret).toMatch(/^hf_live_[0-9A-Za-z]{40}$/);
    const stored = await getDb().apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(JSON.stringify(stored)).not.toContain(key.secret);
    const auth = await authenticateApiKey(key.secret, { correlationId: "c" });
    expect(auth.actor).toMatchObject({ type: "PARTNER", id: partner.id, scopes: ["inventory:read", "bookings:write"], facilityIds: null });

    await revokeApiKey({ apiKeyId: key.id }, admin);
    await expect(authenticateApiKey(key.secret, { correlationId: "c" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
    const actions = (await getDb().auditEntry.findMany({ where: { correlationId: "cor_admin_test", targetId: { in: [partner.id, key.id] } } })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["partner.create", "api_key.create", "api_key.revoke"]));
    const audits = await getDb().auditEntry.findMany({ where: { targetId: key.id }, select: { metadata: true, reason: true } });
    expect(JSON.stringify(audits)).not.toContain(key.secret);
  });

  it("keeps a partner's technical contact (set, audited, cleared with an empty value; a non-address refused, nothing changed)", async () => {
    const partner = await createPartner(
      { code: uniq("TECH").replace("-", "_"), name: "Tech", kind: "WEBSITE", technicalContactEmail: " dev@tech.test " },
      admin,
    );
    expect(partner.technicalContactEmail).toBe("dev@tech.test");
    await expect(updatePartner({ partnerId: partner.id, technicalContactEmail: "not an address" }, admin)).rejects.toMatchObject({
      code: "VALIDATION_FAILED",
      fieldErrors: [{ path: "technicalContactEmail", message: expect.any(String) }],
    });
    expect((await getDb().partner.findUniqueOrThrow({ where: { id: partner.id } })).technicalContactEmail).toBe("dev@tech.test");
    await updatePartner({ partnerId: partner.id, technicalContactEmail: "ops@tech.test" }, admin);
    const audit = await getDb().auditEntry.findFirstOrThrow({ where: { targetId: partner.id, action: "partner.update" }, orderBy: { id: "desc" } });
    expect(audit.metadata).toMatchObject({ before: { technicalContactEmail: "dev@tech.test" }, changes: { technicalContactEmail: "ops@tech.test" } });
    await updatePartner({ partnerId: partner.id, technicalContactEmail: "" }, admin);
    expect((await getDb().partner.findUniqueOrThrow({ where: { id: partner.id } })).technicalContactEmail).toBeNull();
  });

  it("an inactive partner's keys stop working at once", async () => {
    const partner = await createPartner({ code: uniq("OFF").replace("-", "_"), name: "Off", kind: "WEBSITE" }, admin);
    const key = await createApiKey({ partnerId: partner.id, name: "k", scopes: ["inventory:read"] }, admin);
    await updatePartner({ partnerId: partner.id, active: false }, admin);
    await expect(authenticateApiKey(key.secret, { correlationId: "c" })).rejects.toBeInstanceOf(DomainError);
  });

  it("refuses a duplicate partner code and a site manager without a facility", async () => {
    const code = uniq("DUP").replace("-", "_");
    await createPartner({ code, name: "a", kind: "OTHER" }, admin);
    await expect(createPartner({ code, name: "b", kind: "OTHER" }, admin)).rejects.toMatchObject({ code: "CONFLICT" });
    await expect(
      createUser({ email: `${uniq("m").toLowerCase()}@example.com`, name: "M", role: "SITE_MANAGER", password: "long-enough-password" }, admin),
    ).rejects.toThrow(/site manager needs/);
  });

  it("creates users and changes their role and access", async () => {
    const user = await createUser({ email: `${uniq("s").toLowerCase()}@example.com`, name: "S", role: "SUPPORT", password: "long-enough-password" }, admin);
    await updateUser({ userId: user.id, role: "OPS_LEAD" }, admin);
    await updateUser({ userId: user.id, active: false }, admin);
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row).toMatchObject({ role: "OPS_LEAD", active: false });
    expect(row.passwordHash).toMatch(/^scrypt\$/);
  });

  it("refuses every admin change to anyone but an admin, in the service itself, and audits the refusal", async () => {
    const { actor: opsLead } = await createConsoleUser({ role: "OPS_LEAD" });
    const partner = await createPartner({ code: uniq("NOPE").replace("-", "_"), name: "Nope", kind: "OTHER" }, admin);
    const key = await createApiKey({ partnerId: partner.id, name: "k", scopes: ["inventory:read"] }, admin);
    const attempts = [
      () => createPartner({ code: uniq("X").replace("-", "_"), name: "x", kind: "OTHER" }, opsLead),
      () => updatePartner({ partnerId: partner.id, active: false }, opsLead),
      () => createApiKey({ partnerId: partner.id, name: "k2", scopes: ["inventory:read"] }, opsLead),
      () => revokeApiKey({ apiKeyId: key.id }, opsLead),
      () => createUser({ email: `${uniq("x").toLowerCase()}@example.com`, name: "X", role: "ADMIN", password: "long-enough-password" }, opsLead),
      () => updateUser({ userId: admin.id, role: "SUPPORT" }, opsLead),
    ];
    for (const attempt of attempts) {
      await expect(attempt()).rejects.toMatchObject({ code: "FORBIDDEN" });
    }
    const refusals = await getDb().auditEntry.findMany({ where: { correlationId: opsLead.correlationId }, select: { action: true, result: true } });
    expect(refusals).toEqual(attempts.map(() => ({ action: "admin.manage", result: "DENIED" })));
    expect((await getDb().partner.findUniqueOrThrow({ where: { id: partner.id } })).active).toBe(true);
    expect((await getDb().apiKey.findUniqueOrThrow({ where: { id: key.id } })).revokedAt).toBeNull();
  });
});
