import { listApiRequests } from "@/server/domain/request-log/list-api-requests";
import { RequestLogsQuery } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { requestLogList, requestLogResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

/** The calling partner's own request log, newest first (docs/request-log.md#reading-it). */
export const GET = partnerRoute(
  { route: "/api/v1/request-logs", scope: "logs:read", rateClass: "read", query: RequestLogsQuery },
  async ({ actor, query }) => {
    const page = await listApiRequests(
      {
        filter: {
          keyPrefix: query.key_prefix,
          route: query.route,
          method: query.method,
          status: query.status,
          statusClass: query.status_class,
          code: query.code,
          idempotencyKey: query.idempotency_key,
          correlationId: query.correlation_id,
          bookingReference: query.booking_reference,
          from: query.from,
          to: query.to,
        },
        cursor: query.after,
        limit: query.limit,
      },
      actor,
    );
    return { status: 200, body: requestLogList(page.requests.map(requestLogResource), page.nextCursor) };
  },
);
