import { TRPCError } from "@trpc/server";
import { afterAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { disconnectDb, getDb } from "../db";
import { createFacilityWithPool, createPartner, holdInput } from "../../test/factories";
import { createUser } from "../../test/user-factory";
import { cancelBooking } from "../domain/bookings/cancel-booking";
import { fulfilBooking } from "../domain/bookings/fulfil-booking";
import { createHold } from "../domain/bookings/create-hold";
import { loadSessionUser, type SessionUser } from "../domain/users/load-session-user";
import { createCallerFactory, createInnerContext, createTRPCRouter, permissionProcedure, protectedProcedure } from "./trpc";

afterAll(disconnectDb);

// A router of the ladder's rungs alone, so each refusal is tested apart from any area.
const ladderRouter = createTRPCRouter({
  whoAmI: protectedProcedure.query(({ ctx }) => ({ id: ctx.user.id, scopes: ctx.actor.scopes, facilityIds: ctx.actor.facilityIds })),
  adminOnly: permissionProcedure("admin.manage").query(() => "secret admin things"),
  adminMutation: permissionProcedure("admin.manage").mutation(() => "done"),
  // a mutation the domain may refuse (scope, business rule), naming its target for the audit
  cancelBooking: permissionProcedure("booking.cancel")
    .meta({ refusalTarget: (raw) => ({ type: "booking", id: (raw as { reference?: string }).reference ?? null }) })
    .input(z.object({ reference: z.string() }))
    .mutation(({ ctx, input }) => cancelBooking(input.reference, { reason: "via tRPC" }, ctx.actor)),
  fulfilBooking: permissionProcedure("booking.fulfil")
    .meta({ refusalTarget: (raw) => ({ type: "booking", id: (raw as { reference?: string }).reference ?? null }) })
    .input(z.object({ reference: z.string() }))
    .mutation(({ ctx, input }) => fulfilBooking(input.reference, ctx.actor)),
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

  it("a mutation the domain refuses is audited: outside the user's facilities DENIED, a business rule FAILED", async () => {
    const [lon, nyc, partner] = await Promise.all([createFacilityWithPool({ units: 3 }), createFacilityWithPool({ units: 3 }), createPartner()]);
    const manager = await sessionUser({ role: "SITE_MANAGER", facilityIds: [lon.facilityId] });
    const elsewhere = await createHold(holdInput(nyc), partner.actor);
    const cancelled = await createHold(holdInput(lon), partner.actor);
    await cancelBooking(cancelled.reference, { reason: "setup" }, partner.actor);
    const [outOfScope, businessRule] = [`cor_test_${crypto.randomUUID()}`, `cor_test_${crypto.randomUUID()}`];

    expect((await errorOf(callerFor(manager, outOfScope).cancelBooking({ reference: elsewhere.reference }))).code).toBe("NOT_FOUND");
    expect((await errorOf(callerFor(manager, businessRule).fulfilBooking({ reference: cancelled.reference }))).code).toBe("CONFLICT");

    const audits = (correlationId: string) => getDb().auditEntry.findMany({ where: { correlationId } });
    expect(await audits(outOfScope)).toMatchObject([
      { action: "cancelBooking", result: "DENIED", actorId: manager.id, targetType: "booking", targetId: elsewhere.reference, facilityId: nyc.facilityId },
    ]);
    expect(await audits(businessRule)).toMatchObject([
      { action: "fulfilBooking", result: "FAILED", targetType: "booking", targetId: cancelled.reference, metadata: { code: "INVALID_TRANSITION" } },
    ]);
    expect((await getDb().booking.findUniqueOrThrow({ where: { reference: elsewhere.reference } })).status).toBe("TENTATIVE");
  });
});
