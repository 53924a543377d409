/**
 * Deletes in bounded batches so a retention job never holds long locks or builds one huge
 * transaction: each batch is its own statement, and the loop stops early when the worker
 * is shutting down (what is left goes in the next run; deleting is idempotent).
 */

export interface BatchedDeleteOptions {
  batchSize?: number;
  /** upper bound on batches per call, so one run cannot go on for ever */
  maxBatches?: number;
  signal?: AbortSignal;
}

export interface BatchedDeleteResult {
  deleted: number;
  batches: number;
  /** false when stopped by maxBatches or the signal with rows possibly left */
  complete: boolean;
}

export async function deleteInBatches(
  deleteBatch: (limit: number) => Promise<number>,
  { batchSize = 500, maxBatches = 1000, signal }: BatchedDeleteOptions = {},
): Promise<BatchedDeleteResult> {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError("batchSize must be a positive integer.");
  let deleted = 0;
  let batches = 0;
  while (batches < maxBatches) {
    if (signal?.aborted) return { deleted, batches, complete: false };
    const count = await deleteBatch(batchSize);
    batches += 1;
    deleted += count;
    if (count < batchSize) return { deleted, batches, complete: true };
  }
  return { deleted, batches, complete: false };
}
