import { fromDatabaseError } from "../domain/shared/database-errors";
import { DomainError, ERROR_CODES, RETRY_AFTER_SECONDS, type ErrorCode } from "../domain/shared/errors";
import { logger } from "../observability/logger";

/** RFC 9457 problem+json for every refusal; never a stack trace. */

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

export interface Problem {
  type: string;
  title: string;
  status: number;
  code: ErrorCode;
  detail: string;
  correlation_id: string;
  retryable: boolean;
  errors?: { path: string; message: string }[];
  [context: string]: unknown;
}

export function problemBody(error: DomainError, correlationId: string): Problem {
  const meta = ERROR_CODES[error.code];
  return {
    type: `/api-docs#error-${error.code.toLowerCase().replace(/_/g, "-")}`,
    title: meta.title,
    status: meta.status,
    code: error.code,
    detail: error.message,
    correlation_id: correlationId,
    retryable: meta.retryable,
    ...(error.fieldErrors ? { errors: error.fieldErrors } : {}),
    ...error.context,
  };
}

/** Any thrown value as a DomainError; unknown ones are logged with their stack and hidden. */
export function toDomainError(error: unknown, correlationId: string): DomainError {
  if (error instanceof DomainError) return error;
  const contention = fromDatabaseError(error);
  if (contention) return contention;
  logger.error({ err: error, correlationId }, "unhandled error");
  return new DomainError("INTERNAL", `Something went wrong on our side. Quote correlation id ${correlationId} to support.`);
}

export function problemResponse(error: DomainError, correlationId: string, headers: Record<string, string> = {}): Response {
  const body = problemBody(error, correlationId);
  return new Response(JSON.stringify(body), {
    status: body.status,
    headers: {
      "content-type": PROBLEM_CONTENT_TYPE,
      "x-correlation-id": correlationId,
      "x-holdfast-error-code": error.code,
      ...(retryAfterOf(error) ? { "retry-after": String(retryAfterOf(error)) } : {}),
      ...headers,
    },
  });
}

/** Seconds a retryable refusal asks the client to wait: its own `retry_after_seconds`, else the code's. */
function retryAfterOf(error: DomainError): number | undefined {
  const own = error.context.retry_after_seconds;
  return typeof own === "number" ? own : RETRY_AFTER_SECONDS[error.code];
}
