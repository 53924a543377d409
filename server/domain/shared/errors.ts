/**
 * One error class for every refusal the domain makes, with a code from
 * docs/partner-api.md#error-codes. Transports map the code (never the message text) to HTTP
 * statuses and tRPC codes.
 */

export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 422, title: "Validation failed", retryable: false },
  UNAUTHENTICATED: { status: 401, title: "Unauthenticated", retryable: false },
  FORBIDDEN: { status: 403, title: "Forbidden", retryable: false },
  NOT_FOUND: { status: 404, title: "Not found", retryable: false },
  METHOD_NOT_ALLOWED: { status: 405, title: "Method not allowed", retryable: false },
  IDEMPOTENCY_KEY_REQUIRED: { status: 400, title: "Idempotency-Key header required", retryable: false },
  IDEMPOTENCY_KEY_REUSED: { status: 422, title: "Idempotency key reused with a different request", retryable: false },
  IDEMPOTENCY_KEY_IN_USE: { status: 409, title: "Idempotency key in use by a request still running", retryable: true },
  INVENTORY_UNAVAILABLE: { status: 409, title: "No unit of that type is available", retryable: false },
  INVENTORY_HELD_BY_OTHER_TXN: { status: 409, title: "Inventory is being changed by another request", retryable: true },
  HOLD_EXPIRED: { status: 409, title: "The hold has expired", retryable: false },
  INVALID_TRANSITION: { status: 409, title: "That action is not allowed in the booking's current state", retryable: false },
  VERSION_CONFLICT: { status: 412, title: "Inventory version is stale", retryable: false },
  RATE_LIMITED: { status: 429, title: "Too many requests", retryable: true },
  PAYLOAD_TOO_LARGE: { status: 413, title: "Payload too large", retryable: false },
  MALFORMED_REQUEST: { status: 400, title: "The request cannot be read", retryable: false },
  REQUEST_TIMEOUT: { status: 408, title: "The request body did not arrive in time", retryable: true },
  CONFLICT: { status: 409, title: "Conflict", retryable: false },
  INTERNAL: { status: 500, title: "Internal error", retryable: true },
  SERVICE_UNAVAILABLE: { status: 503, title: "Service unavailable", retryable: true },
} as const;

/**
 * How long a client should wait before retrying, sent as `Retry-After` with these codes
 * (RATE_LIMITED sends its own, from the limiter).
 */
export const RETRY_AFTER_SECONDS: Partial<Record<ErrorCode, number>> = {
  SERVICE_UNAVAILABLE: 5,
  IDEMPOTENCY_KEY_IN_USE: 1,
};

export type ErrorCode = keyof typeof ERROR_CODES;

export interface FieldError {
  path: string;
  message: string;
}

export class DomainError extends Error {
  readonly code: ErrorCode;
  /** Extra machine-readable context (e.g. current_status, allowed_actions), snake_case. */
  readonly context: Record<string, unknown>;
  readonly fieldErrors?: FieldError[];

  constructor(code: ErrorCode, message: string, context: Record<string, unknown> = {}, fieldErrors?: FieldError[]) {
    super(message);
    this.name = "DomainError";
    this.code = code;
    this.context = context;
    this.fieldErrors = fieldErrors;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get retryable(): boolean {
    return ERROR_CODES[this.code].retryable;
  }
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

export const notFound = (what: string, id: string) => new DomainError("NOT_FOUND", `${what} ${id} was not found.`);
export const forbidden = (message = "You do not have permission to do that.") => new DomainError("FORBIDDEN", message);
