import { ZodError } from "zod";
import { initTRPC, TRPCError } from "@trpc/server";
import superjson from "superjson";
import type { Logger } from "pino";
import { can, type Permission } from "@/shared/permissions";
import type { RequestMeta } from "../auth/request-meta";
import { actorForUser, type Actor } from "../domain/shared/actor";
import { findUnsafeInput } from "../domain/shared/safe-input";
import { describeFieldErrors, fieldErrorsFromZod, validationFailed } from "../domain/shared/validation";
import type { SessionUser } from "../domain/users/load-session-user";
import { recordRefusal, type RefusalTarget } from "../domain/audit/record-refusal";
import { isAudited } from "../domain/shared/authorize";
import { requestLogger } from "../observability/logger";
import { clientErrorData, internalErrorMessage, refusalOf, toClientError } from "./errors";

/**
 * The one tRPC bootstrap (docs/conventions.md#console-reads-and-mutations): context,
 * superjson, the error formatter and the ladder publicProcedure → protectedProcedure →
 * permissionProcedure(p). Building the context from a request lives in ./context.ts (it
 * needs the session).
 */

export interface TRPCContext {
  /** the signed-in user as the database has them now; null when signed out or disabled */
  user: SessionUser | null;
  /** the user as a domain actor (explicit scope and correlation id); null when signed out */
  actor: Actor | null;
  meta: RequestMeta;
  log: Logger;
}

/** The context for a known user and request; what tests pass to createCaller. */
export function createInnerContext(opts: { user: SessionUser | null; meta: RequestMeta }): TRPCContext {
  return {
    user: opts.user,
    actor: opts.user ? actorForUser(opts.user, opts.meta) : null,
    meta: opts.meta,
    log: requestLogger(opts.meta.correlationId),
  };
}

/** What a procedure tells the ladder about itself. */
export interface ProcedureMeta {
  /** what a refused mutation was about, from its raw input (for its audit entry) */
  refusalTarget?: (rawInput: unknown) => RefusalTarget | null | undefined;
}

const t = initTRPC.context<TRPCContext>().meta<ProcedureMeta>().create({
  transformer: superjson,
  errorFormatter({ shape, error, ctx }) {
    const correlationId = ctx?.meta.correlationId ?? null;
    // Stacks stay in the log; an unexpected error never shows its own message.
    const { stack: _stack, ...data } = shape.data;
    const internal = error.code === "INTERNAL_SERVER_ERROR";
    return {
      ...shape,
      message: internal
        ? internalErrorMessage(correlationId)
        : error.cause instanceof ZodError
          ? describeFieldErrors(fieldErrorsFromZod(error.cause))
          : shape.message,
      data: { ...data, ...clientErrorData(error, correlationId) },
    };
  },
});

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

/**
 * Maps domain errors to tRPC codes and hides unexpected ones (logged with their stack).
 * A mutation the domain refused (outside the user's facilities, a business rule) is
 * audited through the one refusal writer; a missing permission is audited by
 * permissionProcedure.
 */
const errorMapping = t.middleware(async ({ ctx, next, path, type, meta, getRawInput }) => {
  const result = await next();
  if (!result.ok) {
    const refusal = refusalOf(result.error);
    // A refusal from authorize() was audited where it was raised.
    if (type === "mutation" && ctx.actor && refusal && !isAudited(refusal)) {
      const target = meta?.refusalTarget?.(await getRawInput().catch(() => undefined)) ?? null;
      await recordRefusal(ctx.actor, { action: path, code: refusal.code, detail: refusal.message, target });
    }
    throw toClientError(result.error, ctx.meta.correlationId, ctx.log, path);
  }
  return result;
});

/**
 * Every procedure's raw input, before its own schema: what PostgreSQL cannot store (NUL,
 * lone surrogates, huge strings, non-finite or unsafe numbers, out-of-range dates) or
 * what is nested too deeply is a BAD_REQUEST here, never a 500 later (safe-input.ts).
 */
const safeInput = t.middleware(async ({ getRawInput, next }) => {
  const problem = findUnsafeInput(await getRawInput());
  if (problem) {
    const path = problem.path || "input";
    throw validationFailed([{ path, message: problem.message }]);
  }
  return next();
});

export const publicProcedure = t.procedure.use(errorMapping).use(safeInput);

/** Signed in, and still active: otherwise UNAUTHORIZED. */
export const protectedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (!ctx.user || !ctx.actor) {
    throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  }
  return next({ ctx: { user: ctx.user, actor: ctx.actor } });
});

/**
 * Holds `permission` (docs/domain.md#roles-and-permissions): otherwise FORBIDDEN, and a
 * refused mutation is audited. Facility scope is not checked here: the domain query applies
 * it, so a record outside the user's facilities comes back NOT_FOUND.
 */
export function permissionProcedure(permission: Permission) {
  return protectedProcedure.use(async ({ ctx, next, path, type }) => {
    if (!can(ctx.user, permission)) {
      if (type === "mutation") {
        await recordRefusal(ctx.actor, { action: path, code: "FORBIDDEN", permission });
      }
      throw new TRPCError({ code: "FORBIDDEN", message: "You don't have permission to do that." });
    }
    return next();
  });
}
