import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { uniq } from "../../test/factories";
import { createUser as createTestUser } from "../../test/user-factory";
import { actorForUser } from "../domain/shared/actor";
import type { RequestMeta } from "../auth/request-meta";
import { disconnectDb, getDb } from "../db";
import { createPartner } from "../domain/admin/manage-partners";
import { authenticateApiKey } from "../domain/partners/authenticate-api-key";
import { DomainError } from "../domain/shared/errors";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { createApiKeyAction, createPartnerAction, createUserAction, revokeApiKeyAction, updatePartnerAction, updateUserAction } from "./admin";
import { consoleAction, type ActionRequest } from "./console-action";

afterAll(disconnectDb);

function meta(correlationId = `cor_action_${crypto.randomUUID()}`): RequestMeta {
  return { ip: "10.9.8.7", userAgent: "vitest", correlationId };
}

async function sessionUser(role: SessionUser["role"]): Promise<SessionUser> {
  const user = await loadSessionUser((await createTestUser({ role })).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

const keysOf = (partnerId: string) => getDb().apiKey.count({ where: { partnerId } });
const auditsOf = (correlationId: string) => getDb().auditEntry.findMany({ where: { correlationId } });

let admin: SessionUser;
let support: SessionUser;
let partnerId: string;

beforeAll(async () => {
  [admin, support] = await Promise.all([sessionUser("ADMIN"), sessionUser("SUPPORT")]);
  const partner = await createPartner(
    { code: uniq("ACT").replace("-", "_"), name: "Action Test Partner", kind: "OTHER" },
    actorForUser(admin, meta()),
  );
  partnerId = partner.id;
});

describe("server actions check the caller themselves (they are public endpoints)", () => {
  it("a forged call without a session is refused and changes nothing", async () => {
    const request = meta();
    const result = await createApiKeyAction.withRequest({ user: null, meta: request })({
      partnerId,
      name: "forged",
      scopes: ["bookings:write"],
    });

    expect(result).toMatchObject({ ok: false, code: "UNAUTHENTICATED", correlationId: request.correlationId });
    expect(await keysOf(partnerId)).toBe(0);
    expect(await auditsOf(request.correlationId)).toEqual([]);
  });

  it("a disabled user's still-valid session is refused like no session", async () => {
    const user = await createTestUser({ role: "ADMIN" });
    await getDb().user.update({ where: { id: user.id }, data: { active: false } });
    // What the real request source does: re-read the session's user from the database.
    const source = async (): Promise<ActionRequest> => ({ user: await loadSessionUser(user.id), meta: meta() });

    const result = await createApiKeyAction.withRequest(source)({ partnerId, name: "from a disabled admin", scopes: ["inventory:read"] });

    expect(result).toMatchObject({ ok: false, code: "UNAUTHENTICATED" });
    expect(await keysOf(partnerId)).toBe(0);
  });

  it("SUPPORT calling createApiKey is FORBIDDEN, audited as DENIED, and no key is created", async () => {
    const request = meta();
    const result = await createApiKeyAction.withRequest({ user: support, meta: request })({
      partnerId,
      name: "sneaky",
      scopes: ["bookings:write"],
    });

    expect(result).toEqual({
      ok: false,
      code: "FORBIDDEN",
      message: "You don't have permission to do that.",
      retryable: false,
      correlationId: request.correlationId,
    });
    expect(await keysOf(partnerId)).toBe(0);
    expect(await auditsOf(request.correlationId)).toMatchObject([
      {
        actorType: "USER",
        actorId: support.id,
        actorLabel: support.email,
        action: "api_key.create",
        targetType: "permission",
        targetId: "admin.manage",
        result: "DENIED",
        ip: "10.9.8.7",
        userAgent: "vitest",
      },
    ]);
  });

  it("every admin action refuses the other roles the same way", async () => {
    const manager = await sessionUser("OPS_LEAD");
    const request = meta();
    const as = { user: manager, meta: request };
    const results = await Promise.all([
      createPartnerAction.withRequest(as)({ code: "NOPE_PARTNER", name: "n", kind: "OTHER" }),
      updatePartnerAction.withRequest(as)({ partnerId, active: false }),
      revokeApiKeyAction.withRequest(as)({ apiKeyId: crypto.randomUUID() }),
      createUserAction.withRequest(as)({ email: "nope@example.com", name: "n", role: "ADMIN", password: "long-enough-password" }),
      updateUserAction.withRequest(as)({ userId: manager.id, role: "ADMIN" }),
    ]);

    expect(results.map((r) => r.ok === false && r.code)).toEqual(Array(5).fill("FORBIDDEN"));
    const denied = await auditsOf(request.correlationId);
    expect(denied.map((a) => a.action).sort()).toEqual(["api_key.revoke", "partner.create", "partner.update", "user.create", "user.update"]);
    expect(denied.filter((a) => a.result !== "DENIED")).toEqual([]);
    expect(await getDb().user.findUniqueOrThrow({ where: { id: manager.id } })).toMatchObject({ role: "OPS_LEAD" });
    expect(await getDb().partner.findUniqueOrThrow({ where: { id: partnerId } })).toMatchObject({ active: true });
  });

  it("invalid input is refused with field errors; nothing is changed or stored", async () => {
    const request = meta();
    const result = await createApiKeyAction.withRequest({ user: admin, meta: request })({
      partnerId,
      name: "  ",
      scopes: [],
      readRateLimitPerMinute: 0,
      keyHash: "chosen-by-the-caller",
    } as never);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.code).toBe("VALIDATION_FAILED");
    expect(result.fieldErrors).toMatchObject({
      name: ["Name the key (e.g. “production”)."],
      scopes: ["Choose at least one scope."],
      readRateLimitPerMinute: [expect.any(String)],
      // .strict(): an unknown field is refused, not silently dropped
      "": [expect.stringContaining("keyHash")],
    });
    expect(await keysOf(partnerId)).toBe(0);
    expect(await auditsOf(request.correlationId)).toEqual([]);
  });

  it("an ADMIN creates a key: the secret comes back once, the key works, and it is audited", async () => {
    const request = meta();
    const result = await createApiKeyAction.withRequest({ user: admin, meta: request })({
      partnerId,
      name: "production",
      scopes: ["inventory:read"],
      writeRateLimitPerMinute: 30,
    });

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.data).sort()).toEqual(["id", "prefix", "secret"]);
    expect(result.data.secret).toMatch(/^hf_live_[0-9A-Za-z]{40}$/);
    expect(result.data.secret.startsWith(result.data.prefix)).toBe(true);
    expect(await getDb().apiKey.findUniqueOrThrow({ where: { id: result.data.id } })).toMatchObject({
      partnerId,
      scopes: ["inventory:read"],
      writeRateLimitPerMinute: 30,
      createdById: admin.id,
    });
    await expect(authenticateApiKey(result.data.secret, { correlationId: "c" })).resolves.toMatchObject({ apiKeyId: result.data.id });

    const audits = await auditsOf(request.correlationId);
    expect(audits).toMatchObject([
      { actorId: admin.id, action: "api_key.create", targetType: "api_key", targetId: result.data.id, result: "SUCCESS", ip: "10.9.8.7" },
    ]);
    expect(JSON.stringify(audits.map(({ metadata, reason }) => ({ metadata, reason })))).not.toContain(result.data.secret);

    const revoked = await revokeApiKeyAction.withRequest({ user: admin, meta: request })({ apiKeyId: result.data.id });
    expect(revoked).toMatchObject({ ok: true, data: { id: result.data.id, revokedAt: expect.any(String) } });
    await expect(authenticateApiKey(result.data.secret, { correlationId: "c" })).rejects.toMatchObject({ code: "UNAUTHENTICATED" });
  });

  it("a domain refusal keeps its code, message and context", async () => {
    const as = { user: admin, meta: meta() };
    const code = uniq("DUP").replace("-", "_");
    expect(await createPartnerAction.withRequest(as)({ code, name: "first", kind: "WEBSITE" })).toMatchObject({ ok: true, data: { code } });

    expect(await createPartnerAction.withRequest(as)({ code, name: "second", kind: "WEBSITE" })).toMatchObject({
      ok: false,
      code: "CONFLICT",
      message: `A partner with code ${code} exists already.`,
      context: { field: "code" },
    });
    expect(await revokeApiKeyAction.withRequest(as)({ apiKeyId: crypto.randomUUID() })).toMatchObject({ ok: false, code: "NOT_FOUND" });
    expect(
      await updateUserAction.withRequest(as)({ userId: crypto.randomUUID(), role: "SITE_MANAGER", facilityIds: [] }),
    ).toMatchObject({ ok: false, code: "NOT_FOUND" });
  });

  it("an admin cannot disable or demote themself", async () => {
    const self = await sessionUser("ADMIN");
    const as = { user: self, meta: meta() };
    expect(await updateUserAction.withRequest(as)({ userId: self.id, active: false })).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await updateUserAction.withRequest(as)({ userId: self.id, role: "SUPPORT" })).toMatchObject({ ok: false, code: "CONFLICT" });
    expect(await getDb().user.findUniqueOrThrow({ where: { id: self.id } })).toMatchObject({ role: "ADMIN", active: true });
  });

  it("creates a user with a password of at least 12 characters, never returning its hash", async () => {
    const as = { user: admin, meta: meta() };
    const email = `${uniq("new").toLowerCase()}@example.com`;
    const short = await createUserAction.withRequest(as)({ email, name: "New", role: "SUPPORT", password: "too-short" });
    expect(short).toMatchObject({ ok: false, code: "VALIDATION_FAILED", fieldErrors: { password: ["Passwords need at least 12 characters."] } });
    expect(await getDb().user.count({ where: { email } })).toBe(0);

    const created = await createUserAction.withRequest(as)({ email: email.toUpperCase(), name: "New", role: "SUPPORT", password: "long-enough-password" });
    expect(created).toEqual({ ok: true, data: { id: expect.any(String), email } });
  });

  it("an unexpected error is logged and answered with a generic message carrying the correlation id", async () => {
    const exploding = consoleAction(
      { action: "test.explode", permission: "admin.manage", input: z.object({}).strict() },
      async (): Promise<never> => {
        throw new Error("connection string postgres://secret@db leaked?");
      },
    );
    const request = meta();
    const result = await exploding.withRequest({ user: admin, meta: request })({});
    expect(result).toMatchObject({ ok: false, code: "INTERNAL", retryable: true, correlationId: request.correlationId });
    if (result.ok) return;
    expect(result.message).toContain(request.correlationId);
    expect(result.message).not.toContain("postgres");

    const domainInternal = consoleAction(
      { action: "test.internal", permission: "admin.manage", input: z.object({}).strict() },
      async (): Promise<never> => {
        throw new DomainError("INTERNAL", "raw internal detail");
      },
    );
    const hidden = await domainInternal.withRequest({ user: admin, meta: request })({});
    expect(hidden).toMatchObject({ ok: false, code: "INTERNAL" });
    expect(JSON.stringify(hidden)).not.toContain("raw internal detail");
  });

  it("a request whose session cannot be read fails closed", async () => {
    const result = await createApiKeyAction.withRequest(async () => {
      throw new Error("database down");
    })({ partnerId, name: "x", scopes: ["inventory:read"] });
    expect(result).toMatchObject({ ok: false, code: "INTERNAL", correlationId: expect.stringMatching(/^cor_/) });
  });
});
