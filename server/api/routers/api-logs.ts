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
});
