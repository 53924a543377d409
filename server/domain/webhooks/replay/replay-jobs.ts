import { z } from "zod";
import { getDb } from "../../../db";
import { Prisma } from "../../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { holds } from "@/server/domain/shared/authorize";
import { forbidden, notFound } from "@/server/domain/shared/errors";
import type { Tx } from "@/server/domain/shared/tx";
import { DeliveryFilter } from "../delivery/delivery-filter";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * Bulk replay jobs as the console's progress panel shows them. Reading needs
 * delivery.read; a user scoped to facilities sees only the jobs they started (a job's
 * filter may span facilities they cannot see).
 */

export type ReplayJobStatus = "PENDING" | "RUNNING" | "COMPLETED" | "CANCELLED" | "FAILED";
const REPLAY_JOB_STATUSES = ["PENDING", "RUNNING", "COMPLETED", "CANCELLED", "FAILED"] as const;

export interface ReplayJobView {
  id: string;
  status: ReplayJobStatus;
  /** the delivery filter it was started with */
  filter: DeliveryFilter;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  skipped: number;
  ratePerSecond: number;
  requestedBy: { id: string; email: string } | null;
  cancelledBy: { id: string; email: string } | null;
  correlationId: string | null;
  error: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  cancelledAt: Date | null;
  /** seconds left at the job's rate (null once it has ended) */
  etaSeconds: number | null;
}

type Row = {
  id: string;
  status: ReplayJobStatus;
  filter: unknown;
  total: number;
  processed: number;
  succeeded: number;
  failed: number;
  skipped: number;
  rate_per_second: number;
  requested_by_id: string | null;
  requested_by_email: string | null;
  cancelled_by_id: string | null;
  cancelled_by_email: string | null;
  correlation_id: string | null;
  error: string | null;
  created_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  cancelled_at: Date | null;
};

const COLUMNS = Prisma.sql`
  j.id::text AS id, j.status::text AS status, j.filter, j.total, j.processed, j.succeeded, j.failed, j.skipped, j.rate_per_second,
  j.requested_by_id::text AS requested_by_id, ru.email AS requested_by_email, j.cancelled_by_id::text AS cancelled_by_id,
  cu.email AS cancelled_by_email, j.correlation_id, j.error, j.created_at, j.started_at, j.finished_at, j.cancelled_at`;
const FROM = Prisma.sql`replay_jobs j LEFT JOIN users ru ON ru.id = j.requested_by_id LEFT JOIN users cu ON cu.id = j.cancelled_by_id`;

function toView(row: Row): ReplayJobView {
  const live = row.status === "PENDING" || row.status === "RUNNING";
  return {
    id: row.id,
    status: row.status,
    // stored as JSON (dates as strings); read back through the same schema
    filter: DeliveryFilter.safeParse(row.filter).data ?? {},
    total: row.total,
    processed: row.processed,
    succeeded: row.succeeded,
    failed: row.failed,
    skipped: row.skipped,
    ratePerSecond: row.rate_per_second,
    requestedBy: row.requested_by_id ? { id: row.requested_by_id, email: row.requested_by_email ?? "" } : null,
    cancelledBy: row.cancelled_by_id ? { id: row.cancelled_by_id, email: row.cancelled_by_email ?? "" } : null,
    correlationId: row.correlation_id,
    error: row.error,
    createdAt: row.created_at,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    cancelledAt: row.cancelled_at,
    etaSeconds: live ? Math.ceil((row.total - row.processed) / Math.max(1, row.rate_per_second)) : null,
  };
}

/** A job by id, unscoped (for services that have checked access already). */
export async function loadReplayJobView(db: Tx, jobId: string): Promise<ReplayJobView> {
  const rows = await db.$queryRaw<Row[]>`SELECT ${COLUMNS} FROM ${FROM} WHERE j.id = ${jobId}::uuid`;
  if (!rows[0]) throw notFound("Replay job", jobId);
  return toView(rows[0]);
}

function readScope(actor: Actor): Prisma.Sql {
  if (actor.type === "SYSTEM") return Prisma.sql`TRUE`;
  if (actor.type !== "USER" || !holds(actor, "delivery.read")) throw forbidden("Your role may not see replay jobs.");
  return actor.facilityIds === null ? Prisma.sql`TRUE` : Prisma.sql`j.requested_by_id = ${actor.id}::uuid`;
}

export const GetReplayJobInput = z.object({ jobId: z.uuid() }).strict();

export async function getReplayJob(raw: z.input<typeof GetReplayJobInput>, actor: Actor): Promise<ReplayJobView> {
  const { jobId } = parseOrRefuse(GetReplayJobInput, raw);
  const scope = readScope(actor);
  const rows = await getDb().$queryRaw<Row[]>`SELECT ${COLUMNS} FROM ${FROM} WHERE j.id = ${jobId}::uuid AND ${scope}`;
  if (!rows[0]) throw notFound("Replay job", jobId);
  return toView(rows[0]);
}

export const ListReplayJobsInput = z
  .object({
    status: z.array(z.enum(REPLAY_JOB_STATUSES)).max(REPLAY_JOB_STATUSES.length).optional(),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();

/** The latest replay jobs, newest first (live ones and the recently finished). */
export async function listReplayJobs(raw: z.input<typeof ListReplayJobsInput>, actor: Actor): Promise<ReplayJobView[]> {
  const input = parseOrRefuse(ListReplayJobsInput, raw ?? {});
  const scope = readScope(actor);
  const status = input.status?.length ? Prisma.sql`j.status::text = ANY(${input.status}::text[])` : Prisma.sql`TRUE`;
  const rows = await getDb().$queryRaw<Row[]>`
    SELECT ${COLUMNS} FROM ${FROM} WHERE ${scope} AND ${status} ORDER BY j.created_at DESC, j.id LIMIT ${input.limit}`;
  return rows.map(toView);
}
