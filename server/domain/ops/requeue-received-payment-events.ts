import { getDb } from "../../db";
import { enqueueJob } from "@/server/domain/shared/enqueue";
import { JOBS } from "@/server/domain/shared/jobs";

/**
 * Gives every payment event still RECEIVED its apply job again (docs/operations.md#backups):
 * after a restore, whose backup holds the events but not graphile-worker's queue. Applying
 * is idempotent (only a RECEIVED row is applied), so a job too many does nothing.
 * Returns how many were queued.
 */
export async function requeueReceivedPaymentEvents(): Promise<number> {
  return getDb().$transaction(async (tx) => {
    const received = await tx.inboundWebhookEvent.findMany({ where: { status: "RECEIVED" }, select: { id: true, correlationId: true } });
    for (const event of received) {
      await enqueueJob(tx, JOBS.applyPaymentEvent, { inboundEventId: event.id, correlationId: event.correlationId ?? undefined }, { maxAttempts: 10 });
    }
    return received.length;
  });
}
