import pg from "pg";
import { RateLimiterPostgres, RateLimiterRes } from "rate-limiter-flexible";
import { config, databaseConfig } from "../../config";
import { logger } from "../../observability/logger";

/**
 * Per-key, per-endpoint-class request limits in PostgreSQL (rate-limiter-flexible's
 * Postgres store), so every app instance counts against the same buckets.
 */

/** bulk: the bulk lane (catalogue imports), counted apart from live bookings (docs/partner-api.md#rate-limits) */
export type RateClass = "read" | "write" | "bulk";

/** A key's limit when it has none of its own: RATE_LIMIT_READ_PER_MINUTE, RATE_LIMIT_WRITE_PER_MINUTE, RATE_LIMIT_BULK_PER_MINUTE. */
function defaultLimit(rateClass: RateClass): number {
  return config().rateLimits[rateClass];
}

export interface RateDecision {
  allowed: boolean;
  limit: number;
  remaining: number;
  /** seconds until the window resets */
  resetSeconds: number;
}

const globalForLimits = globalThis as unknown as {
  holdfastRatePool?: pg.Pool;
  holdfastLimiters?: Map<string, RateLimiterPostgres>;
};

function pool(): pg.Pool {
  if (!globalForLimits.holdfastRatePool) {
    const created = new pg.Pool({ connectionString: databaseConfig().url, max: 4, application_name: "holdfast-rate-limits" });
    // An idle connection ended by the server (a restart, a terminated backend) must not
    // take the process down: the pool replaces it on next use.
    created.on("error", (error) => logger.warn({ err: error }, "rate limits: idle database connection failed"));
    globalForLimits.holdfastRatePool = created;
  }
  return globalForLimits.holdfastRatePool;
}

function limiter(rateClass: RateClass, points: number): RateLimiterPostgres {
  globalForLimits.holdfastLimiters ??= new Map();
  const id = `${rateClass}:${points}`;
  let found = globalForLimits.holdfastLimiters.get(id);
  if (!found) {
    found = new RateLimiterPostgres({
      storeClient: pool(),
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: `api:${rateClass}`,
      points,
      duration: 60,
    });
    globalForLimits.holdfastLimiters.set(id, found);
  }
  return found;
}

export async function consumeRateLimit(apiKeyId: string, rateClass: RateClass, perMinute?: number | null): Promise<RateDecision> {
  const limit = perMinute ?? defaultLimit(rateClass);
  try {
    const res = await limiter(rateClass, limit).consume(apiKeyId, 1);
    return { allowed: true, limit, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, limit, remaining: 0, resetSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}

export async function closeRateLimitPool(): Promise<void> {
  await globalForLimits.holdfastRatePool?.end();
  globalForLimits.holdfastRatePool = undefined;
  globalForLimits.holdfastLimiters = undefined;
  inboundLimiter = undefined;
}

/** Unsigned or invalid inbound webhooks stored per client address per minute (docs/operations.md#payment-webhooks-failing). */
export const INBOUND_REJECTIONS_PER_MINUTE = 30;
let inboundLimiter: RateLimiterPostgres | undefined;

/**
 * Counts one refused inbound webhook from `ip` before it is stored: a flood of unsigned
 * requests cannot fill the inbound table. Shared by every instance (PostgreSQL store).
 */
export async function consumeInboundRejection(ip: string | null): Promise<RateDecision> {
  inboundLimiter ??= new RateLimiterPostgres({
    storeClient: pool(),
    storeType: "pool",
    tableName: "rate_limits",
    tableCreated: true,
    clearExpiredByTimeout: false,
    keyPrefix: "inbound:rejected",
    points: INBOUND_REJECTIONS_PER_MINUTE,
    duration: 60,
  });
  const limit = INBOUND_REJECTIONS_PER_MINUTE;
  try {
    const res = await inboundLimiter.consume(ip ?? "unknown", 1);
    return { allowed: true, limit, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) return { allowed: false, limit, remaining: 0, resetSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    throw rejection;
  }
}

/**
 * Counts one use of a sensitive action (`name`, e.g. "access:reveal") by one actor
 * (`key`) against `perHour` in a rolling hour. Shared by every instance like the API
 * limits; what the action is and how much is allowed come from the caller
 * (docs/domain.md#gate-codes).
 */
export async function consumeHourlyLimit(name: string, key: string, perHour: number): Promise<RateDecision> {
  globalForLimits.holdfastLimiters ??= new Map();
  const id = `hourly:${name}:${perHour}`;
  let found = globalForLimits.holdfastLimiters.get(id);
  if (!found) {
    found = new RateLimiterPostgres({
      storeClient: pool(),
      storeType: "pool",
      tableName: "rate_limits",
      tableCreated: true,
      clearExpiredByTimeout: false,
      keyPrefix: name,
      points: perHour,
      duration: 3600,
    });
    globalForLimits.holdfastLimiters.set(id, found);
  }
  try {
    const res = await found.consume(key, 1);
    return { allowed: true, limit: perHour, remaining: res.remainingPoints, resetSeconds: Math.ceil(res.msBeforeNext / 1000) };
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      return { allowed: false, limit: perHour, remaining: 0, resetSeconds: Math.max(1, Math.ceil(rejection.msBeforeNext / 1000)) };
    }
    throw rejection;
  }
}
