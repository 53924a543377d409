import crypto from "node:crypto";
import pg from "pg";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { cancelBookingAction } from "../server/actions/bookings";
import { clientErrorData } from "../server/api/errors";
import { createCallerFactory, createInnerContext, createTRPCRouter, permissionProcedure } from "../server/api/trpc";
import { configure, databaseConfig } from "../server/config";
import { disconnectDb, getDb } from "../server/db";
import { cancelBooking } from "../server/domain/bookings/cancel-booking";
import { createHold } from "../server/domain/bookings/create-hold";
import { type DomainError } from "../server/domain/shared/errors";
import { loadSessionUser, type SessionUser } from "../server/domain/users/load-session-user";
import { createFacilityWithPool, createPartner, holdInput, type TestPartner, type TestPool } from "./factories";
import { startRouteServer, type RouteServer } from "./route-server";
import { createUser } from "./user-factory";

/**
 * Database contention is the retryable INVENTORY_HELD_BY_OTHER_TXN (409) on every
 * transport (docs/conventions.md#errors): a second client holds the booking's row lock
 * in an open transaction, and this file's connections give up waiting after a short
 * lock_timeout, so the call fails inside PostgreSQL with 55P03, as it would under load.
 */

const LOCK_TIMEOUT_MS = 300;

let restore: () => void;
let holder: pg.Client;
let pool: TestPool;
let partner: TestPartner;
let ops: SessionUser;
let server: RouteServer;

beforeAll(async () => {
  // Every connection this file opens waits at most LOCK_TIMEOUT_MS for a lock.
  const url = new URL(databaseConfig().url!);
  url.searchParams.set("options", `-c lock_timeout=${LOCK_TIMEOUT_MS}`);
  await disconnectDb();
  restore = configure({ DATABASE_URL: url.toString() });
  holder = new pg.Client({ connectionString: databaseConfig().url! });
  await holder.connect();
  pool = await createFacilityWithPool({ units: 4 });
  partner = await createPartner();
  const user = await loadSessionUser((await createUser({ role: "OPS_LEAD" })).id);
  if (!user) throw new Error("test user did not load");
  ops = user;
  server = await startRouteServer();
});

afterAll(async () => {
  await holder?.query("ROLLBACK").catch(() => undefined);
  await holder?.end();
  await server?.close();
  await disconnectDb();
  restore?.();
});

/** A fresh hold whose booking row another transaction keeps locked while `call` runs. */
async function whileLocked<T>(call: (reference: string) => Promise<T>): Promise<{ result: T; status: string }> {
  const booking = await createHold(holdInput(pool), partner.actor);
  await holder.query("BEGIN");
  try {
    await holder.query("SELECT id FROM bookings WHERE reference = $1 FOR UPDATE", [booking.reference]);
    return { result: await call(booking.reference), status: booking.status };
  } finally {
    await holder.query("ROLLBACK");
    const after = await getDb().booking.findUniqueOrThrow({ where: { reference: booking.reference }, select: { status: true } });
    // The refused call changed nothing.
    expect(after.status).toBe("TENTATIVE");
  }
}

describe("lock contention answers the retryable INVENTORY_HELD_BY_OTHER_TXN", () => {
  it("on tRPC: CONFLICT with the domain code and retryable: true, not a 500", async () => {
    const router = createTRPCRouter({
      cancel: permissionProcedure("booking.cancel")
        .input(z.object({ reference: z.string() }))
        .mutation(({ ctx, input }) => cancelBooking(input.reference, { reason: "contention test" }, ctx.actor)),
    });
    const caller = createCallerFactory(router)(
      createInnerContext({ user: ops, meta: { ip: "10.1.2.3", userAgent: "vitest", correlationId: `cor_test_${crypto.randomUUID()}` } }),
    );
    const { result: error } = await whileLocked((reference) =>
      caller.cancel({ reference }).then(
        () => null,
        (thrown: unknown) => thrown,
      ),
    );
    expect(error).toBeInstanceOf(TRPCError);
    const trpcError = error as TRPCError;
    expect({ code: trpcError.code, domainCode: (trpcError.cause as DomainError | undefined)?.code }).toEqual({
      code: "CONFLICT",
      domainCode: "INVENTORY_HELD_BY_OTHER_TXN",
    });
    expect(clientErrorData(trpcError, "cor_x")).toMatchObject({ domainCode: "INVENTORY_HELD_BY_OTHER_TXN", retryable: true });
  });

  it("on a server action: { ok: false, code: INVENTORY_HELD_BY_OTHER_TXN, retryable: true }", async () => {
    const correlationId = `cor_test_${crypto.randomUUID()}`;
    const { result } = await whileLocked((reference) =>
      cancelBookingAction.withRequest({ user: ops, meta: { ip: "10.1.2.3", userAgent: "vitest", correlationId } })({
        reference,
        reason: "contention test",
      }),
    );
    expect(result).toMatchObject({ ok: false, code: "INVENTORY_HELD_BY_OTHER_TXN", retryable: true, correlationId });
  });

  it("on the partner API: 409 problem+json with retryable: true", async () => {
    const { result: response } = await whileLocked((reference) =>
      fetch(`${server.url}/api/v1/bookings/${reference}/cancel`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${partner.apiKey}`,
          "content-type": "application/json",
          "idempotency-key": crypto.randomUUID(),
        },
        body: JSON.stringify({ reason: "contention test" }),
      }),
    );
    const body = (await response.json()) as { code: string; retryable: boolean };
    expect({ status: response.status, code: body.code, retryable: body.retryable }).toEqual({
      status: 409,
      code: "INVENTORY_HELD_BY_OTHER_TXN",
      retryable: true,
    });
  });
});
