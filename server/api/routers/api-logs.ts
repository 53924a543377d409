import { countApiRefusals, CountApiRefusalsInput } from "../../domain/request-log/count-api-refusals";
import { getApiRequest, GetApiRequestInput } from "../../domain/request-log/get-api-request";
import { inspectIdempotencyKey, InspectIdempotencyKeyInput } from "../../domain/request-log/inspect-idempotency-key";
import { listApiRequests, ListApiRequestsInput } from "../../domain/request-log/list-api-requests";
import { createTRPCRouter, permissionProcedure } from "../trpc";

/**
 * The request log's reads for the console (docs/request-log.md#who-sees-what): support,
 * ops leads and admins every call, a site manager only their facilities' — the domain
 * query applies the scope and hides customer details they may not see.
 */
const apiLogProcedure = permissionProcedure("api_log.read");

export const apiLogsRouter = createTRPCRouter({
  /** One keyset page of calls, newest first, filtered (the page size up to the CSV export's cap). */
  list: apiLogProcedure.input(ListApiRequestsInput).query(({ ctx, input }) => listApiRequests(input, ctx.actor)),
  /** One call, with the partner's other calls under the same idempotency key. */
  get: apiLogProcedure.input(GetApiRequestInput).query(({ ctx, input }) => getApiRequest(input, ctx.actor)),
  /** The idempotency inspector: a partner's key, its stored record, its calls, replays and reuses. */
  idempotency: apiLogProcedure.input(InspectIdempotencyKeyInput).query(({ ctx, input }) => inspectIdempotencyKey(input, ctx.actor)),
  /** Refusals by code × route × partner over a range (the KPI page's error analytics). */
  refusals: apiLogProcedure.input(CountApiRefusalsInput).query(({ ctx, input }) => countApiRefusals(input, ctx.actor)),
});
