import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { ZodError } from "zod";
import { fromDatabaseError } from "../domain/shared/database-errors";
import { DomainError, RETRY_AFTER_SECONDS, type ErrorCode, type FieldError } from "../domain/shared/errors";
import { fieldErrorsFromZod } from "../domain/shared/validation";

/**
 * One map from domain error codes (docs/partner-api.md#error-codes) to tRPC codes, and the
 * rules for what a console client may learn from an error: a domain refusal keeps its
 * message and context; anything unexpected becomes a generic message with the correlation
 * id, and its details go to the log only.
 */
export const DOMAIN_TO_TRPC_CODE: Record<ErrorCode, TRPC_ERROR_CODE_KEY> = {
  VALIDATION_FAILED: "BAD_REQUEST",
  UNAUTHENTICATED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  NOT_FOUND: "NOT_FOUND",
  METHOD_NOT_ALLOWED: "METHOD_NOT_SUPPORTED",
  IDEMPOTENCY_KEY_REQUIRED: "BAD_REQUEST",
  IDEMPOTENCY_KEY_REUSED: "UNPROCESSABLE_CONTENT",
  IDEMPOTENCY_KEY_IN_USE: "CONFLICT",
  INVENTORY_UNAVAILABLE: "CONFLICT",
  INVENTORY_HELD_BY_OTHER_TXN: "CONFLICT",
  HOLD_EXPIRED: "CONFLICT",
  INVALID_TRANSITION: "CONFLICT",
  CONFLICT: "CONFLICT",
  VERSION_CONFLICT: "PRECONDITION_FAILED",
  RATE_LIMITED: "TOO_MANY_REQUESTS",
  PAYLOAD_TOO_LARGE: "PAYLOAD_TOO_LARGE",
  MALFORMED_REQUEST: "BAD_REQUEST",
  REQUEST_TIMEOUT: "TIMEOUT",
  INTERNAL: "INTERNAL_SERVER_ERROR",
  SERVICE_UNAVAILABLE: "SERVICE_UNAVAILABLE",
};

export function internalErrorMessage(correlationId: string | null | undefined): string {
  return correlationId
    ? `Something went wrong on our side. If it keeps happening, report reference ${correlationId}.`
    : "Something went wrong on our side.";
}

export interface ErrorLog {
  error: (object: Record<string, unknown>, message: string) => void;
}

/**
 * The domain refusal behind what a procedure threw (tRPC wraps it as a TRPCError whose
 * `cause` is the original): a DomainError, or database contention as the retryable
 * INVENTORY_HELD_BY_OTHER_TXN (../domain/shared/database-errors).
 */
export function refusalOf(error: TRPCError): DomainError | null {
  const cause = error.cause;
  if (cause instanceof DomainError) return cause.code === "INTERNAL" ? null : cause;
  return fromDatabaseError(cause);
}

/** Turns whatever a procedure threw into the error the client sees. Unknown errors are logged with their stack. */
export function toClientError(error: TRPCError, correlationId: string, log: ErrorLog, path?: string): TRPCError {
  const refusal = refusalOf(error);
  if (refusal) return new TRPCError({ code: DOMAIN_TO_TRPC_CODE[refusal.code], message: refusal.message, cause: refusal });
  if (error.code !== "INTERNAL_SERVER_ERROR") return error;
  log.error({ err: error.cause ?? error, path, correlationId }, "unhandled error in tRPC procedure");
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: internalErrorMessage(correlationId), cause: error });
}

export interface ClientErrorData {
  /** the domain code (docs/partner-api.md#error-codes) behind a refusal, e.g. HOLD_EXPIRED */
  domainCode: ErrorCode | null;
  /** machine-readable context of a domain refusal (e.g. current_status) */
  context: Record<string, unknown> | null;
  fieldErrors: FieldError[] | null;
  correlationId: string | null;
  retryable: boolean;
}

/** The extra `data` the error formatter adds to every error shape. */
export function clientErrorData(error: TRPCError, correlationId: string | null): ClientErrorData {
  const cause = error.cause;
  const domain = refusalOf(error);
  return {
    domainCode: domain?.code ?? null,
    context: domain && Object.keys(domain.context).length ? domain.context : null,
    // A procedure's own .input() schema refused it: tRPC's BAD_REQUEST, with the same field errors.
    fieldErrors: domain?.fieldErrors ?? (error.code === "BAD_REQUEST" && cause instanceof ZodError ? fieldErrorsFromZod(cause) : null),
    correlationId,
    retryable: domain ? domain.retryable : error.code === "INTERNAL_SERVER_ERROR" || error.code === "TOO_MANY_REQUESTS",
  };
}

/**
 * The `Retry-After` a tRPC answer carries (seconds), as the REST API's problems do: the
 * longest any of its refusals asks for (SERVICE_UNAVAILABLE while the database is down,
 * IDEMPOTENCY_KEY_IN_USE), or null. Set by retryAfterMeta, app/api/trpc's responseMeta.
 */
export function retryAfterSecondsOf(errors: readonly TRPCError[]): number | null {
  let longest: number | null = null;
  for (const error of errors) {
    const refusal = refusalOf(error);
    const seconds = refusal ? RETRY_AFTER_SECONDS[refusal.code] : undefined;
    if (seconds !== undefined && (longest === null || seconds > longest)) longest = seconds;
  }
  return longest;
}

/** fetchRequestHandler's responseMeta for app/api/trpc: `Retry-After` when a refusal asks for one. */
export function retryAfterMeta({ errors }: { errors: TRPCError[] }): { headers?: Record<string, string> } {
  const seconds = retryAfterSecondsOf(errors);
  return seconds === null ? {} : { headers: { "retry-after": String(seconds) } };
}
