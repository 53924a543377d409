import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../../db";
import { createUser, uniqueIp } from "../../../test/user-factory";
import { authenticateUser, SIGN_IN_ACTION, SIGN_IN_THROTTLE, type SignInAttempt } from "./authenticate-user";

afterAll(disconnectDb);

function attempt(email: string, password: string, ip = uniqueIp()): SignInAttempt {
  return { email, password, ip, userAgent: "vitest", correlationId: `cor_test_${crypto.randomUUID()}` };
}

async function signInAudits(email: string) {
  return getDb().auditEntry.findMany({
    where: { action: SIGN_IN_ACTION, metadata: { path: ["email"], equals: email } },
    orderBy: { id: "asc" },
  });
}

describe("authenticateUser", () => {
  it("signs in with the right password, audits it and records the time", async () => {
    const user = await createUser({ role: "OPS_LEAD", name: "Olive Ops" });
    const request = attempt(user.email, user.password);

    const outcome = await authenticateUser(request);

    expect(outcome).toEqual({ ok: true, user: { id: user.id, email: user.email, name: "Olive Ops", role: "OPS_LEAD" } });
    const row = await getDb().user.findUniqueOrThrow({ where: { id: user.id } });
    expect(row.lastLoginAt).toBeInstanceOf(Date);
    const audits = await signInAudits(user.email);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      result: "SUCCESS",
      actorId: user.id,
      targetId: user.id,
      ip: request.ip,
      correlationId: request.correlationId,
    });
  });

  it("treats the email case-insensitively", async () => {
    const user = await createUser();
    const outcome = await authenticateUser(attempt(`  ${user.email.toUpperCase()} `, user.password));
    expect(outcome.ok).toBe(true);
  });

  it("refuses a wrong password and audits the failure with email and IP, never the password", async () => {
    const user = await createUser();
    const request = attempt(user.email, "not-the-password-4711");

    const outcome = await authenticateUser(request);

    expect(outcome).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    const audits = await signInAudits(user.email);
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({ result: "FAILED", reason: "wrong_password", ip: request.ip, userAgent: "vitest" });
    expect(audits[0]!.metadata).toMatchObject({ email: user.email, ip: request.ip });
    expect(JSON.stringify(audits[0], (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v))).not.toContain(
      "not-the-password-4711",
    );
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).toBeNull();
  });

  it("refuses an unknown email the same way", async () => {
    const email = `nobody-${crypto.randomUUID()}@test.holdfast`;
    const outcome = await authenticateUser(attempt(email, "whatever"));
    expect(outcome).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    const audits = await signInAudits(email);
    expect(audits).toMatchObject([{ result: "FAILED", reason: "unknown_email", actorId: null }]);
  });

  it("refuses a deactivated user even with the right password", async () => {
    const user = await createUser({ active: false });
    const outcome = await authenticateUser(attempt(user.email, user.password));
    expect(outcome).toEqual({ ok: false, reason: "INVALID_CREDENTIALS" });
    expect(await signInAudits(user.email)).toMatchObject([{ result: "FAILED", reason: "inactive_user" }]);
  });

  it(`after ${SIGN_IN_THROTTLE.freeFailuresPerEmail} failures an email waits, even with the right password, and audits DENIED`, async () => {
    const user = await createUser();
    for (let i = 0; i < SIGN_IN_THROTTLE.freeFailuresPerEmail; i++) {
      // a different address each time: the email's own limit is what stops it
      expect(await authenticateUser(attempt(user.email, `wrong-${i}`))).toMatchObject({ ok: false, reason: "INVALID_CREDENTIALS" });
    }

    const outcome = await authenticateUser(attempt(user.email, user.password));

    expect(outcome).toMatchObject({ ok: false, reason: "RATE_LIMITED", limitedBy: "email", retryAfterSeconds: 1 });
    const audits = await signInAudits(user.email);
    expect(audits.map((a) => a.result)).toEqual([...Array(SIGN_IN_THROTTLE.freeFailuresPerEmail).fill("FAILED"), "DENIED"]);
    expect((await getDb().user.findUniqueOrThrow({ where: { id: user.id } })).lastLoginAt).toBeNull();
  });

  it("a burst of wrong passwords cannot lock the owner out: after the wait the right password signs in", async () => {
    const user = await createUser();
    // 25 guesses as fast as they come, from 25 addresses: only those outside a wait count
    for (let i = 0; i < 25; i++) await authenticateUser(attempt(user.email, `guess-${i}`));
    const refused = await authenticateUser(attempt(user.email, user.password));
    expect(refused).toMatchObject({ ok: false, reason: "RATE_LIMITED", limitedBy: "email" });
    const wait = (refused as { retryAfterSeconds: number }).retryAfterSeconds;
    expect(wait).toBeLessThanOrEqual(SIGN_IN_THROTTLE.maxDelayPerEmailSeconds);
    await new Promise((r) => setTimeout(r, wait * 1000 + 100));
    expect(await authenticateUser(attempt(user.email, user.password))).toMatchObject({ ok: true });
  });

  it("each failure after the free ones doubles the wait, up to the cap", async () => {
    const throttle = { ...SIGN_IN_THROTTLE, freeFailuresPerEmail: 1, baseDelaySeconds: 0.2, maxDelayPerEmailSeconds: 0.8 };
    const user = await createUser();
    const waits: number[] = [];
    for (let i = 0; i < 5; i++) {
      let outcome = await authenticateUser(attempt(user.email, "wrong"), throttle);
      let waited = 0;
      while (!outcome.ok && outcome.reason === "RATE_LIMITED") {
        await new Promise((r) => setTimeout(r, 50));
        waited += 50;
        outcome = await authenticateUser(attempt(user.email, "wrong"), throttle);
      }
      waits.push(waited);
    }
    // 0 (free), then ≈200, 400, 800, 800 ms (the cap)
    expect(waits[0]).toBe(0);
    expect(waits[1]).toBeGreaterThanOrEqual(100);
    expect(waits[2]).toBeGreaterThan(waits[1]!);
    expect(waits[3]).toBeGreaterThan(waits[2]!);
    expect(waits[4]).toBeLessThan(waits[3]! + 400);
  });

  it("counts an email's failures only since its last successful sign-in", async () => {
    const user = await createUser();
    const below = SIGN_IN_THROTTLE.freeFailuresPerEmail - 1;
    for (let i = 0; i < below; i++) await authenticateUser(attempt(user.email, "wrong"));
    expect((await authenticateUser(attempt(user.email, user.password))).ok).toBe(true);
    for (let i = 0; i < below; i++) await authenticateUser(attempt(user.email, "wrong"));
    expect((await authenticateUser(attempt(user.email, user.password))).ok).toBe(true);
  });

  it("stops an IP address after too many failures across emails", async () => {
    const throttle = { ...SIGN_IN_THROTTLE, freeFailuresPerIp: 3 };
    const ip = uniqueIp();
    const victim = await createUser();
    for (let i = 0; i < 3; i++) {
      await authenticateUser(attempt(`guess-${i}-${crypto.randomUUID()}@test.holdfast`, "wrong", ip), throttle);
    }

    const outcome = await authenticateUser(attempt(victim.email, victim.password, ip), throttle);

    expect(outcome).toMatchObject({ ok: false, reason: "RATE_LIMITED", limitedBy: "ip" });
    expect(await signInAudits(victim.email)).toMatchObject([{ result: "DENIED", ip }]);
    // the same user from elsewhere is not affected
    expect((await authenticateUser(attempt(victim.email, victim.password), throttle)).ok).toBe(true);
  });
});
