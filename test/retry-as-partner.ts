import { DomainError, ERROR_CODES } from "../server/domain/shared/errors";

/**
 * Whether a partner would retry this answer: a refusal whose code is retryable by
 * contract (INVENTORY_HELD_BY_OTHER_TXN after a lock wait or deadlock), or Prisma's P2028
 * (a transaction that missed its start or finish deadline on a starved machine). Both roll
 * back whole, so the same attempt can be made again.
 */
export function isRetryable(error: unknown): boolean {
  if (error instanceof DomainError) return ERROR_CODES[error.code].retryable;
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2028";
}

/**
 * Makes one attempt the way a partner does: retries a retryable answer (at most `tries`
 * times in all), and returns or throws whatever else comes back. Concurrency tests use it
 * so a busy machine changes how long they take, not what they prove.
 */
export async function retryAsPartner<T>(attempt: () => Promise<T>, { tries = 10, onRetry }: { tries?: number; onRetry?: () => void } = {}): Promise<T> {
  for (let tried = 1; ; tried++) {
    try {
      return await attempt();
    } catch (error) {
      if (!isRetryable(error) || tried >= tries) throw error;
      onRetry?.();
    }
  }
}
