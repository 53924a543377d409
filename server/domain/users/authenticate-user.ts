import { z } from "zod";
import { getDb } from "../../db";
import { timingSafeDummyHash, verifyPassword } from "../../auth/password";
import type { Role } from "@/shared/permissions";
import { writeAudit } from "@/server/domain/shared/audit";
import type { Tx } from "@/server/domain/shared/tx";

/**
 * Console sign-in: email + password against the users table, with failed attempts
 * audited and throttled. The throttle counts `auth.sign_in` FAILED entries in the audit
 * table, so it holds across every app instance sharing the database; nothing is kept
 * in memory. It imposes growing delays per email and per address (SIGN_IN_THROTTLE),
 * never a long lockout of a known account.
 *
 * Limits are checked before the password is: an attempt inside its wait is refused
 * whether or not the password is right, so guessing cannot continue behind the refusal.
 * Concurrent attempts are counted once they finish, so a burst of parallel guesses can
 * exceed a limit by at most the number in flight.
 */

export const SIGN_IN_ACTION = "auth.sign_in";

export interface SignInThrottle {
  /** how far back failures are counted */
  windowSeconds: number;
  /** failures for one email (since its last successful sign-in) that cost no wait */
  freeFailuresPerEmail: number;
  /** failures from one IP address (any email) that cost no wait */
  freeFailuresPerIp: number;
  /** the first wait; each further failure doubles it */
  baseDelaySeconds: number;
  /** the longest wait an email's failures impose: a known user is never locked out for long */
  maxDelayPerEmailSeconds: number;
  /** the longest wait one address's failures impose */
  maxDelayPerIpSeconds: number;
}

/**
 * Growing delays, not a lockout (docs/operations.md#sign-in-throttling): after the free
 * failures, the next attempt must wait 1 s after the last failure, then 2 s, 4 s, … up to
 * a minute per email and fifteen minutes per address. Guessing one account gets slower and
 * slower (some 60 guesses an hour at most), while its owner, whose attempts come after
 * the wait, signs in with the right password a minute later at worst.
 */
export const SIGN_IN_THROTTLE: SignInThrottle = {
  windowSeconds: 15 * 60,
  freeFailuresPerEmail: 3,
  freeFailuresPerIp: 10,
  baseDelaySeconds: 1,
  maxDelayPerEmailSeconds: 60,
  maxDelayPerIpSeconds: 15 * 60,
};

/** The wait `failures` impose after the last of them (0 while they are free). */
export function signInDelaySeconds(failures: number, free: number, baseSeconds: number, maxSeconds: number): number {
  if (failures < free) return 0;
  return Math.min(maxSeconds, baseSeconds * 2 ** Math.min(30, failures - free));
}

export interface SignInAttempt {
  email: string;
  password: string;
  ip: string | null;
  userAgent: string | null;
  correlationId: string;
}

export interface AuthenticatedUser {
  id: string;
  email: string;
  name: string;
  role: Role;
}

export type SignInOutcome =
  | { ok: true; user: AuthenticatedUser }
  | { ok: false; reason: "INVALID_CREDENTIALS" }
  | { ok: false; reason: "RATE_LIMITED"; limitedBy: "email" | "ip"; retryAfterSeconds: number };

const Credentials = z.object({
  email: z.string().trim().toLowerCase().min(3).max(254),
  password: z.string().min(1).max(1024),
});

type FailureReason = "unknown_email" | "wrong_password" | "inactive_user" | "malformed_input";

export async function authenticateUser(
  attempt: SignInAttempt,
  throttle: SignInThrottle = SIGN_IN_THROTTLE,
): Promise<SignInOutcome> {
  const db = getDb();
  const parsed = Credentials.safeParse({ email: attempt.email, password: attempt.password });
  const email = parsed.success ? parsed.data.email : String(attempt.email ?? "").trim().toLowerCase().slice(0, 254);

  const limit = await checkThrottle(db, email, attempt.ip, throttle);
  if (limit) {
    await auditSignIn(db, attempt, {
      email,
      result: "DENIED",
      reason: `Too many failed sign-ins for this ${limit.by === "email" ? "email" : "IP address"}`,
      metadata: { limited_by: limit.by, retry_after_seconds: limit.retryAfterSeconds },
    });
    return { ok: false, reason: "RATE_LIMITED", limitedBy: limit.by, retryAfterSeconds: limit.retryAfterSeconds };
  }

  if (!parsed.success) {
    await auditSignIn(db, attempt, { email, result: "FAILED", reason: "malformed_input" });
    return { ok: false, reason: "INVALID_CREDENTIALS" };
  }

  const user = await db.user.findFirst({
    where: { email: { equals: email, mode: "insensitive" } },
    select: { id: true, email: true, name: true, role: true, active: true, passwordHash: true },
  });
  // An unknown email costs the same scrypt as a known one, so timing tells nothing.
  const passwordMatches = await verifyPassword(parsed.data.password, user?.passwordHash ?? (await timingSafeDummyHash()));

  let failure: FailureReason | null = null;
  if (!user) failure = "unknown_email";
  else if (!passwordMatches) failure = "wrong_password";
  else if (!user.active) failure = "inactive_user";

  if (failure || !user) {
    await auditSignIn(db, attempt, { email, userId: user?.id ?? null, result: "FAILED", reason: failure ?? "unknown_email" });
    return { ok: false, reason: "INVALID_CREDENTIALS" };
  }

  await db.$transaction(async (tx) => {
    await tx.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    await auditSignIn(tx, attempt, { email, userId: user.id, label: user.email, result: "SUCCESS" });
  });
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}

/** Whether the email or the address is inside its wait, and for how long (by the database clock). */
async function checkThrottle(
  db: Tx,
  email: string,
  ip: string | null,
  throttle: SignInThrottle,
): Promise<{ by: "email" | "ip"; retryAfterSeconds: number } | null> {
  const rows = await db.$queryRaw<
    { email_failures: number; email_since_ms: number | null; ip_failures: number; ip_since_ms: number | null }[]
  >`
    with recent as (
      select result::text as result, occurred_at, metadata->>'email' as email, ip
      from audit_entries
      where action = ${SIGN_IN_ACTION}
        and occurred_at > now() - make_interval(secs => ${throttle.windowSeconds})
        and (metadata->>'email' = ${email} or (${ip}::text is not null and ip = ${ip}::text))
    ),
    email_failed as (
      select occurred_at from recent
      where email = ${email} and result = 'FAILED'
        and occurred_at > coalesce(
          (select max(occurred_at) from recent where email = ${email} and result = 'SUCCESS'),
          '-infinity'::timestamptz)
    ),
    ip_failed as (
      select occurred_at from recent where ${ip}::text is not null and ip = ${ip}::text and result = 'FAILED'
    )
    select
      (select count(*)::int from email_failed) as email_failures,
      (select (extract(epoch from now() - max(occurred_at)) * 1000)::float8 from email_failed) as email_since_ms,
      (select count(*)::int from ip_failed) as ip_failures,
      (select (extract(epoch from now() - max(occurred_at)) * 1000)::float8 from ip_failed) as ip_since_ms`;
  const counts = rows[0] ?? { email_failures: 0, email_since_ms: null, ip_failures: 0, ip_since_ms: null };
  const remaining = (failures: number, sinceMs: number | null, free: number, max: number) =>
    sinceMs === null ? 0 : signInDelaySeconds(failures, free, throttle.baseDelaySeconds, max) * 1000 - sinceMs;
  const emailWait = remaining(counts.email_failures, counts.email_since_ms, throttle.freeFailuresPerEmail, throttle.maxDelayPerEmailSeconds);
  if (emailWait > 0) return { by: "email", retryAfterSeconds: Math.ceil(emailWait / 1000) };
  const ipWait = ip ? remaining(counts.ip_failures, counts.ip_since_ms, throttle.freeFailuresPerIp, throttle.maxDelayPerIpSeconds) : 0;
  if (ipWait > 0) return { by: "ip", retryAfterSeconds: Math.ceil(ipWait / 1000) };
  return null;
}

interface SignInAudit {
  email: string;
  userId?: string | null;
  label?: string;
  result: "SUCCESS" | "FAILED" | "DENIED";
  reason?: string;
  metadata?: Record<string, unknown>;
}

/** The audit entry of one attempt: the email and address, never the password. */
async function auditSignIn(db: Tx, attempt: SignInAttempt, entry: SignInAudit): Promise<void> {
  await writeAudit(
    db,
    {
      type: "USER",
      id: entry.userId ?? null,
      label: entry.label ?? (entry.email || "(no email)"),
      scopes: [],
      ip: attempt.ip,
      userAgent: attempt.userAgent?.slice(0, 512) ?? null,
      correlationId: attempt.correlationId,
    },
    {
      action: SIGN_IN_ACTION,
      targetType: "user",
      targetId: entry.userId ?? null,
      result: entry.result,
      reason: entry.reason ?? null,
      metadata: { email: entry.email, ip: attempt.ip, ...entry.metadata },
    },
  );
}
