import { getDb } from "../../db";
import type { Tx } from "./tx";

export interface ServiceOptions {
  /** run inside this transaction (e.g. the idempotency layer's), else open one */
  tx?: Tx;
  /** the clock; the seed's history runs services on a simulated one */
  now?: Date;
}

/** Runs `work` in the caller's transaction, or in a new READ COMMITTED one. */
export async function inTransaction<T>(options: ServiceOptions, work: (tx: Tx) => Promise<T>): Promise<T> {
  if (options.tx) return work(options.tx);
  return getDb().$transaction((tx) => work(tx), { isolationLevel: "ReadCommitted", timeout: 15_000, maxWait: 10_000 });
}
