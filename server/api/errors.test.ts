import { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { DomainError, ERROR_CODES, type ErrorCode } from "../domain/shared/errors";
import type { SessionUser } from "../domain/users/load-session-user";
import { DOMAIN_TO_TRPC_CODE, retryAfterMeta, toClientError } from "./errors";
import { createCallerFactory, createInnerContext, createTRPCRouter, protectedProcedure, publicProcedure } from "./trpc";

const admin: SessionUser = {
  id: "00000000-0000-4000-8000-000000000001",
  email: "admin@test.holdfast",
  name: "Admin",
  role: "ADMIN",
  facilityIds: [],
  facilityCodes: [],
};

const CORRELATION_ID = "cor_unit_test";

const router = createTRPCRouter({
  domain: publicProcedure.input(z.object({ code: z.string() })).query(({ input }) => {
    throw new DomainError(input.code as ErrorCode, `refused with ${input.code}`, { current_status: "confirmed" });
  }),
  crash: publicProcedure.query(() => {
    // not a database outage (that is SERVICE_UNAVAILABLE): a bug, with a secret in its message
    throw new Error("payment client misconfigured: api_key=hunter2 at https://10.0.0.5/v1");
  }),
  validated: protectedProcedure.input(z.object({ facilityCode: z.string().min(3) }).strict()).query(() => "ok"),
});

function ctx() {
  return createInnerContext({ user: admin, meta: { ip: null, userAgent: null, correlationId: CORRELATION_ID } });
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

/** Calls the router over HTTP (fetch adapter), to see the formatted error as a client does. */
async function overHttp(path: string, input: unknown) {
  const context = ctx();
  vi.spyOn(context.log, "error").mockImplementation(() => undefined);
  const url = `http://localhost/api/trpc/${path}?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const response = await fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(url), router, createContext: () => context });
  const body = (await response.json()) as { error: { json: { message: string; data: Record<string, unknown> } } };
  return { status: response.status, ...body.error.json, log: context.log.error as unknown as ReturnType<typeof vi.fn> };
}

describe("domain error → tRPC code", () => {
  const caller = createCallerFactory(router)(ctx());

  it("maps every domain code (the map is total)", () => {
    expect(Object.keys(DOMAIN_TO_TRPC_CODE).sort()).toEqual(Object.keys(ERROR_CODES).sort());
  });

  it.each([
    ["NOT_FOUND", "NOT_FOUND"],
    ["FORBIDDEN", "FORBIDDEN"],
    ["UNAUTHENTICATED", "UNAUTHORIZED"],
    ["VALIDATION_FAILED", "BAD_REQUEST"],
    ["IDEMPOTENCY_KEY_REQUIRED", "BAD_REQUEST"],
    ["IDEMPOTENCY_KEY_REUSED", "UNPROCESSABLE_CONTENT"],
    ["IDEMPOTENCY_KEY_IN_USE", "CONFLICT"],
    ["INVENTORY_UNAVAILABLE", "CONFLICT"],
    ["INVENTORY_HELD_BY_OTHER_TXN", "CONFLICT"],
    ["HOLD_EXPIRED", "CONFLICT"],
    ["INVALID_TRANSITION", "CONFLICT"],
    ["CONFLICT", "CONFLICT"],
    ["VERSION_CONFLICT", "PRECONDITION_FAILED"],
    ["RATE_LIMITED", "TOO_MANY_REQUESTS"],
    ["PAYLOAD_TOO_LARGE", "PAYLOAD_TOO_LARGE"],
    ["MALFORMED_REQUEST", "BAD_REQUEST"],
    ["METHOD_NOT_ALLOWED", "METHOD_NOT_SUPPORTED"],
  ] as const)("%s → %s, keeping the domain's message", async (domainCode, trpcCode) => {
    const error = await errorOf(caller.domain({ code: domainCode }));
    expect(error.code).toBe(trpcCode);
    expect(error.message).toBe(`refused with ${domainCode}`);
    expect(error.cause).toBeInstanceOf(DomainError);
  });

  it("treats a domain INTERNAL like any unexpected error", async () => {
    const error = await errorOf(caller.domain({ code: "INTERNAL" }));
    expect(error.code).toBe("INTERNAL_SERVER_ERROR");
    expect(error.message).not.toContain("refused");
    expect(error.message).toContain(CORRELATION_ID);
  });

  it("hides an unexpected error's message from the caller and logs it", async () => {
    const log = { error: vi.fn() };
    const original = new TRPCError({ code: "INTERNAL_SERVER_ERROR", cause: new Error("password=hunter2") });
    const mapped = toClientError(original, CORRELATION_ID, log, "x.y");
    expect(mapped.code).toBe("INTERNAL_SERVER_ERROR");
    expect(mapped.message).not.toContain("hunter2");
    expect(mapped.message).toContain(CORRELATION_ID);
    expect(log.error).toHaveBeenCalledWith(expect.objectContaining({ path: "x.y", correlationId: CORRELATION_ID }), expect.any(String));
  });

  it("leaves deliberate tRPC errors alone", () => {
    const log = { error: vi.fn() };
    const unauthorized = new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
    expect(toClientError(unauthorized, CORRELATION_ID, log)).toBe(unauthorized);
    expect(log.error).not.toHaveBeenCalled();
  });
});

describe("error formatter (what a client receives)", () => {
  it("sends a domain refusal with its code, context and correlation id, and no stack", async () => {
    const body = await overHttp("domain", { code: "INVALID_TRANSITION" });
    expect(body.status).toBe(409);
    expect(body.message).toBe("refused with INVALID_TRANSITION");
    expect(body.data).toMatchObject({
      code: "CONFLICT",
      httpStatus: 409,
      domainCode: "INVALID_TRANSITION",
      context: { current_status: "confirmed" },
      correlationId: CORRELATION_ID,
      retryable: false,
    });
    expect(body.data).not.toHaveProperty("stack");
  });

  it("sends an unexpected error as a generic 500 with the correlation id, logged with its stack", async () => {
    const body = await overHttp("crash", undefined);
    expect(body.status).toBe(500);
    expect(body.message).toBe(`Something went wrong on our side. If it keeps happening, report reference ${CORRELATION_ID}.`);
    expect(JSON.stringify(body.data)).not.toMatch(/hunter2|10\.0\.0\.5/);
    expect(body.data).toMatchObject({ code: "INTERNAL_SERVER_ERROR", correlationId: CORRELATION_ID, retryable: true });
    expect(body.data).not.toHaveProperty("stack");
    const [logged] = body.log.mock.calls[0] as [{ err: Error }];
    expect(logged.err.message).toContain("misconfigured");
    expect(logged.err.stack).toBeTruthy();
  });

  it("sends input validation failures as BAD_REQUEST with field errors", async () => {
    const body = await overHttp("validated", { facilityCode: "X", extra: 1 });
    expect(body.status).toBe(400);
    expect(body.data).toMatchObject({ code: "BAD_REQUEST", domainCode: null });
    const fields = (body.data.fieldErrors as { path: string }[]).map((f) => f.path);
    expect(fields).toEqual(expect.arrayContaining(["facilityCode"]));
  });
});

describe("Retry-After on tRPC answers", () => {
  async function answer(code: ErrorCode) {
    const url = `http://localhost/api/trpc/domain?input=${encodeURIComponent(JSON.stringify({ json: { code } }))}`;
    return fetchRequestHandler({ endpoint: "/api/trpc", req: new Request(url), router, createContext: () => ctx(), responseMeta: retryAfterMeta });
  }

  it("SERVICE_UNAVAILABLE (the database is down) says when to retry, as the REST API does", async () => {
    const response = await answer("SERVICE_UNAVAILABLE");
    expect(response.status).toBe(503);
    expect(response.headers.get("retry-after")).toBe("5");
  });

  it("IDEMPOTENCY_KEY_IN_USE too; a refusal that retrying will not cure does not", async () => {
    expect((await answer("IDEMPOTENCY_KEY_IN_USE")).headers.get("retry-after")).toBe("1");
    expect((await answer("NOT_FOUND")).headers.get("retry-after")).toBeNull();
  });
});
