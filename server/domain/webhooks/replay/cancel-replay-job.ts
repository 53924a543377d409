import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError, notFound } from "@/server/domain/shared/errors";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { triggeredBy } from "./replay-access";
import { loadReplayJobView, type ReplayJobView } from "./replay-jobs";
import { parseOrRefuse } from "@/server/domain/shared/validation";

export const CancelReplayJobInput = z.object({ jobId: z.uuid() }).strict();

/**
 * Cancels a bulk replay (permission delivery.bulk_replay). A PENDING job ends at once; a
 * RUNNING one is marked CANCELLED here and its runner, which looks several times a
 * second, starts no attempt after it notices and records when it stopped (finished_at).
 * Attempts already made stay made. A job that has ended is refused with CONFLICT.
 */
export async function cancelReplayJob(raw: z.input<typeof CancelReplayJobInput>, actor: Actor, options: ServiceOptions = {}): Promise<ReplayJobView> {
  const { jobId } = parseOrRefuse(CancelReplayJobInput, raw);
  await authorize(actor, "delivery.bulk_replay");
  return inTransaction(options, async (tx) => {
    const [job] = await tx.$queryRaw<{ status: string; processed: number; total: number }[]>`
      SELECT status::text AS status, processed, total FROM replay_jobs WHERE id = ${jobId}::uuid FOR UPDATE`;
    if (!job) throw notFound("Replay job", jobId);
    if (job.status !== "PENDING" && job.status !== "RUNNING") {
      throw new DomainError("CONFLICT", `Replay job ${jobId} has already ended (${job.status.toLowerCase()}).`, {
        current_status: job.status.toLowerCase(),
      });
    }
    await tx.$executeRaw`
      UPDATE replay_jobs
      SET status = 'CANCELLED', cancelled_at = now(), cancelled_by_id = ${triggeredBy(actor)}::uuid,
          finished_at = CASE WHEN status = 'PENDING' THEN now() ELSE finished_at END
      WHERE id = ${jobId}::uuid`;
    await writeAudit(tx, actor, {
      action: "replay_job.cancel",
      targetType: "replay_job",
      targetId: jobId,
      metadata: { status_before: job.status, processed: job.processed, total: job.total },
    });
    return loadReplayJobView(tx, jobId);
  });
}
