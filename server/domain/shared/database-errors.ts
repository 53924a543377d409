import { DomainError } from "./errors";

/**
 * The one place that reads database failures (docs/conventions.md#concurrency): when
 * concurrent transactions collide — a deadlock, a lock timeout or a lock not available
 * (NOWAIT), a serialization failure, or Prisma's own word for them — nothing was changed
 * and the caller may simply try again, so every transport answers the retryable
 * INVENTORY_HELD_BY_OTHER_TXN (409). Anything else is not ours to name: null.
 */

/** SQLSTATEs of a collision: 40P01 deadlock, 55P03 lock not available / lock timeout, 40001 serialization failure. */
const CONTENTION_SQLSTATES = new Set(["40P01", "55P03", "40001"]);

/** P2034: "transaction failed due to a write conflict or a deadlock". */
const PRISMA_CONTENTION = "P2034";
/** P2028 is Prisma's transaction API error; only its timeouts (waiting for, or in, a transaction) are a collision. */
const PRISMA_TRANSACTION_API = "P2028";
const TRANSACTION_TIMEOUT = /timeout|timed out|expired transaction|in the given time/i;

export const CONTENTION_MESSAGE = "Another request is changing the same inventory; retry shortly.";

export const UNAVAILABLE_MESSAGE = "The database is unreachable at the moment; retry shortly.";

export function fromDatabaseError(error: unknown, message = CONTENTION_MESSAGE): DomainError | null {
  if (error instanceof DomainError) return null;
  if (isContention(error)) return new DomainError("INVENTORY_HELD_BY_OTHER_TXN", message);
  if (isUnreachable(error)) return new DomainError("SERVICE_UNAVAILABLE", UNAVAILABLE_MESSAGE);
  return null;
}

/**
 * The database cannot be reached or is going away (docs/operations.md#database-down):
 * nothing was done, and the answer is 503 SERVICE_UNAVAILABLE with Retry-After, not a 500.
 * Socket errors, PostgreSQL's connection-exception (08…) and shutdown (57P01–57P03) states,
 * too many connections (53300), Prisma's "can't reach" codes, and pg's own messages.
 */
const UNREACHABLE_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EPIPE",
  "57P01",
  "57P02",
  "57P03",
  "53300",
  "P1001",
  "P1002",
  "P1017",
  "P2024",
]);
const UNREACHABLE_KINDS = new Set(["DatabaseNotReachable", "ConnectionClosed", "SocketTimeout", "TooManyConnections", "DatabaseDoesNotExist"]);
const UNREACHABLE_MESSAGE =
  /Connection terminated|timeout exceeded when trying to connect|Can't reach database server|connect ECONNREFUSED|Client has encountered a connection error|the database system is (starting up|shutting down)|terminating connection due to administrator command/i;

function isUnreachable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const { code, originalCode, kind, meta, cause, message, errors } = error as Record<string, unknown>;
  for (const value of [code, originalCode]) {
    if (typeof value === "string" && (UNREACHABLE_CODES.has(value) || /^08/.test(value))) return true;
  }
  if (typeof kind === "string" && UNREACHABLE_KINDS.has(kind)) return true;
  if (typeof message === "string" && UNREACHABLE_MESSAGE.test(message)) return true;
  const adapterError = (meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError;
  if (adapterError && isUnreachable(adapterError.cause ?? adapterError, depth + 1)) return true;
  // AggregateError (a connect to every address of a name failed)
  if (Array.isArray(errors) && errors.some((e) => isUnreachable(e, depth + 1))) return true;
  return isUnreachable(cause, depth + 1);
}

function isContention(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const { code, originalCode, kind, meta, cause, message } = error as {
    code?: unknown;
    originalCode?: unknown;
    kind?: unknown;
    meta?: unknown;
    cause?: unknown;
    message?: unknown;
  };
  // node-postgres: the SQLSTATE is the code; the pg driver adapter keeps it as originalCode,
  // and names 40001 and 40P01 a TransactionWriteConflict.
  if (typeof originalCode === "string" && CONTENTION_SQLSTATES.has(originalCode)) return true;
  if (kind === "TransactionWriteConflict") return true;
  if (typeof code === "string") {
    if (CONTENTION_SQLSTATES.has(code)) return true;
    if (code === PRISMA_CONTENTION) return true;
    if (code === PRISMA_TRANSACTION_API) return typeof message === "string" && TRANSACTION_TIMEOUT.test(message);
  }
  // Prisma with the pg driver adapter: the SQLSTATE is the adapter error's cause (P2010 "raw query failed", …).
  const adapterError = (meta as { driverAdapterError?: { cause?: unknown } } | undefined)?.driverAdapterError;
  if (adapterError && isContention(adapterError.cause, depth + 1)) return true;
  return isContention(cause, depth + 1);
}
