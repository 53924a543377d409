import { z } from "zod";
import { getDb } from "../../db";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { pgDate } from "@/server/domain/shared/safe-input";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * Refused partner calls (status ≥ 400) counted by problem code × route × partner over a
 * range, for the KPI page's error analytics (docs/request-log.md#error-analytics). 401s
 * and 429s are split by the key presented too. Each bucket carries exactly the request-log
 * filter that lists its requests, so a click on the bar opens those calls and no others.
 * Counted straight from api_request_log, in the reader's facility scope (a call is
 * attributed to the facility it named; a site manager never counts facility-less calls).
 */

const BUCKET_LIMIT = 30;
const code = z
  .string()
  .trim()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, "A code is letters, digits and dashes.")
  .transform((value) => value.toUpperCase());

export const CountApiRefusalsInput = z
  .object({
    from: pgDate(),
    /** exclusive */
    to: pgDate(),
    facility: code.optional(),
    partner: code.optional(),
  })
  .strict()
  .refine((i) => i.from < i.to, { message: "`from` must be before `to`", path: ["to"] });
export type CountApiRefusalsInput = z.input<typeof CountApiRefusalsInput>;

export interface RefusalBucket {
  code: string | null;
  route: string;
  status: number;
  partnerCode: string | null;
  /** for 401s and 429s: the key presented */
  keyPrefix: string | null;
  count: number;
}

export interface ApiRefusalCounts {
  from: Date;
  to: Date;
  /** all refused calls in the range and scope */
  total: number;
  /** the largest buckets, largest first */
  buckets: RefusalBucket[];
}

type BucketRow = { code: string | null; route: string; status: number; partner_code: string | null; key_prefix: string | null; count: bigint };

export async function countApiRefusals(raw: CountApiRefusalsInput, actor: Actor): Promise<ApiRefusalCounts> {
  await authorize(actor, "api_log.read");
  const input = parseOrRefuse(CountApiRefusalsInput, raw);
  const where = Prisma.join(
    [
      Prisma.sql`l.status >= 400 AND l.created_at >= ${input.from} AND l.created_at < ${input.to} ${scopeSql(actor, Prisma.sql`l.facility_id`)}`,
      ...(input.facility ? [Prisma.sql`f.code = ${input.facility}`] : []),
      ...(input.partner ? [Prisma.sql`p.code = ${input.partner}`] : []),
      ...(actor.type === "PARTNER" ? [Prisma.sql`l.partner_id = ${actor.id}::uuid`] : []),
    ],
    " AND ",
  );
  const rows = await getDb().$queryRaw<BucketRow[]>`
    SELECT l.code, l.route, l.status, p.code AS partner_code,
           CASE WHEN l.status IN (401, 429) THEN l.key_prefix END AS key_prefix,
           count(*) AS count
    FROM api_request_log l
    LEFT JOIN partners p ON p.id = l.partner_id
    LEFT JOIN facilities f ON f.id = l.facility_id
    WHERE ${where}
    GROUP BY 1, 2, 3, 4, 5
    ORDER BY count(*) DESC, l.code NULLS LAST, l.route, 4 NULLS LAST, 5 NULLS LAST
    LIMIT ${BUCKET_LIMIT}`;
  const [totalRow] = await getDb().$queryRaw<{ total: bigint }[]>`
    SELECT count(*) AS total
    FROM api_request_log l
    LEFT JOIN partners p ON p.id = l.partner_id
    LEFT JOIN facilities f ON f.id = l.facility_id
    WHERE ${where}`;
  return {
    from: input.from,
    to: input.to,
    total: Number(totalRow?.total ?? 0),
    buckets: rows.map((r) => ({
      code: r.code,
      route: r.route,
      status: r.status,
      partnerCode: r.partner_code,
      keyPrefix: r.key_prefix,
      count: Number(r.count),
    })),
  };
}
