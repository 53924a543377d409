import { z } from "zod";
import { Prisma } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { DomainError } from "@/server/domain/shared/errors";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { readApiRequests, requestWhere, type ApiRequestView } from "./list-api-requests";

/**
 * One logged call for the console's detail view (docs/request-log.md#reading-it): the row,
 * read with the same scope and masking as the list — a call outside a site manager's
 * facilities is NOT_FOUND, never a different answer — and the other calls the same
 * partner sent with the same idempotency key (the first, its replays, a reuse refused).
 */

const SAME_KEY_LIMIT = 50;

export const GetApiRequestInput = z
  .object({
    /** the row's id, as the list gives it */
    id: z.string().regex(/^\d{1,19}$/, "A request id is a number, as the request log lists it."),
  })
  .strict();
export type GetApiRequestInput = z.input<typeof GetApiRequestInput>;

export interface ApiRequestDetail {
  request: ApiRequestView;
  /** the partner's other calls with this idempotency key, oldest first (empty without a key) */
  sameKey: ApiRequestView[];
}

export async function getApiRequest(raw: GetApiRequestInput, actor: Actor): Promise<ApiRequestDetail> {
  await authorize(actor, "api_log.read");
  const input = parseOrRefuse(GetApiRequestInput, raw);
  const where = Prisma.sql`${requestWhere({}, actor, null)} AND l.id = ${BigInt(input.id)}::bigint`;
  const [request] = await readApiRequests(actor, where, 1);
  if (!request) throw new DomainError("NOT_FOUND", "No such request in the log.", { request_id: input.id });
  const sameKey = request.idempotencyKey
    ? (
        await readApiRequests(
          actor,
          Prisma.sql`${requestWhere({ idempotencyKey: request.idempotencyKey }, actor, null)}
                     AND l.partner_id IS NOT DISTINCT FROM (SELECT partner_id FROM api_request_log WHERE id = ${BigInt(input.id)}::bigint)
                     AND l.id <> ${BigInt(input.id)}::bigint`,
          SAME_KEY_LIMIT,
        )
      ).reverse()
    : [];
  return { request, sameKey };
}
