import crypto from "node:crypto";
import { getDb } from "../server/db";
import { hashPassword } from "../server/auth/password";
import type { Role } from "@/shared/permissions";

/** Console users with unique emails, so test files can share one database. */

const TEST_PASSWORD = "correct horse battery staple";

let cachedHash: Promise<string> | undefined;

export interface TestUser {
  id: string;
  email: string;
  password: string;
}

export async function createUser(
  options: { role?: Role; facilityIds?: string[]; active?: boolean; password?: string; name?: string } = {},
): Promise<TestUser> {
  const password = options.password ?? TEST_PASSWORD;
  // scrypt is deliberately slow; reuse one hash of the shared test password.
  const passwordHash = options.password ? await hashPassword(password) : await (cachedHash ??= hashPassword(TEST_PASSWORD));
  const email = `user-${crypto.randomBytes(5).toString("hex")}@test.holdfast`;
  const user = await getDb().user.create({
    data: {
      email,
      name: options.name ?? "Test User",
      role: options.role ?? "SUPPORT",
      passwordHash,
      active: options.active ?? true,
      facilities: { create: (options.facilityIds ?? []).map((facilityId) => ({ facilityId })) },
    },
  });
  return { id: user.id, email, password };
}

/** A private (10/8) IPv4 address, random per call, so throttle tests do not share a counter. */
export function uniqueIp(): string {
  const b = crypto.randomBytes(3);
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}
