import { TRPCError } from "@trpc/server";
import { createCaller } from "../server/api/root";
import { createInnerContext } from "../server/api/trpc";
import { loadSessionUser, type SessionUser } from "../server/domain/users/load-session-user";
import { createUser } from "./user-factory";

/** What the console's tRPC endpoint sees about a request, fresh per call. */
export const testMeta = () => ({ ip: "10.9.8.7", userAgent: "vitest", correlationId: `cor_test_${crypto.randomUUID()}` });

/** The app's tRPC router called in process as `user` (null: signed out), through the same middleware ladder. */
export const callerFor = (user: SessionUser | null) => createCaller(createInnerContext({ user, meta: testMeta() }));

/** A console user created in the database and loaded the way a request loads its session user. */
export async function sessionUser(options: Parameters<typeof createUser>[0]): Promise<SessionUser> {
  const { id } = await createUser(options);
  const user = await loadSessionUser(id);
  if (!user) throw new Error("test user did not load");
  return user;
}

/** "OK", or the tRPC error code the call was refused with (anything else is rethrown). */
export async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
  return "OK";
}
