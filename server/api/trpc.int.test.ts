import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { disconnectDb, getDb } from "../db";
import { createUser } from "../../test/user-factory";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { createCallerFactory, createInnerContext, createTRPCRouter, permissionProcedure, protectedProcedure } from "./trpc";

afterAll(disconnectDb);

// A router of the ladder's rungs alone, so each refusal is tested apart from any area.
const ladderRouter = createTRPCRouter({
  whoAmI: protectedProcedure.query(({ ctx }) => ({ id: ctx.user.id, scopes: ctx.actor.scopes, facilityIds: ctx.actor.facilityIds })),
  adminOnly: permissionProcedure("admin.manage").query(() => "secret admin things"),
  adminMutation: permissionProcedure("admin.manage").mutation(() => "done"),
});
const createLadderCaller = createCallerFactory(ladderRouter);

function callerFor(user: SessionUser | null, correlationId = `cor_test_${crypto.randomUUID()}`) {
  return createLadderCaller(createInnerContext({ user, meta: { ip: "10.1.2.3", userAgent: "vitest", correlationId } }));
}

async function sessionUser(options: Parameters<typeof createUser>[0]): Promise<SessionUser> {
  const user = await loadSessionUser((await createUser(options)).id);
  if (!user) throw new Error("test user did not load");
  return user;
}

async function errorOf(promise: Promise<unknown>): Promise<TRPCError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TRPCError) return error;
    throw error;
  }
  throw new Error("expected the call to fail");
}

describe("procedure ladder", () => {
  it("protectedProcedure: no session is UNAUTHORIZED", async () => {
    expect((await errorOf(callerFor(null).whoAmI())).code).toBe("UNAUTHORIZED");
  });

  it("protectedProcedure: gives the procedure the user as an actor with permissions and scope", async () => {
    const manager = await sessionUser({ role: "SITE_MANAGER" });
    const me = await callerFor(manager).whoAmI();
    expect(me).toMatchObject({ id: manager.id, facilityIds: [] });
    expect(me.scopes).toContain("unit.block");
    expect(me.scopes).not.toContain("admin.manage");
  });

  it("permissionProcedure: no session is UNAUTHORIZED, not FORBIDDEN", async () => {
    expect((await errorOf(callerFor(null).adminOnly())).code).toBe("UNAUTHORIZED");
  });

  it("permissionProcedure: a missing permission is FORBIDDEN", async () => {
    for (const role of ["SUPPORT", "SITE_MANAGER", "OPS_LEAD"] as const) {
      const user = await sessionUser({ role });
      expect((await errorOf(callerFor(user).adminOnly())).code).toBe("FORBIDDEN");
    }
    expect(await callerFor(await sessionUser({ role: "ADMIN" })).adminOnly()).toBe("secret admin things");
  });

  it("permissionProcedure: a refused mutation is audited as DENIED", async () => {
    const support = await sessionUser({ role: "SUPPORT" });
    const correlationId = `cor_test_${crypto.randomUUID()}`;

    expect((await errorOf(callerFor(support, correlationId).adminMutation())).code).toBe("FORBIDDEN");

    const entries = await getDb().auditEntry.findMany({ where: { correlationId } });
    expect(entries).toMatchObject([
      { actorType: "USER", actorId: support.id, action: "adminMutation", result: "DENIED", targetId: "admin.manage", ip: "10.1.2.3" },
    ]);
  });
});
