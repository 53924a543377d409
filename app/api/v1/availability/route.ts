import { listAvailability } from "@/server/domain/inventory/list-availability";
import { AvailabilityQuery } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { poolList, poolResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/availability", scope: "inventory:read", rateClass: "read", query: AvailabilityQuery },
  async ({ actor, query }) => ({
    status: 200,
    body: poolList(
      (await listAvailability(actor, { facilityCode: query.facility_code, unitTypeCode: query.unit_type_code })).map(poolResource),
    ),
  }),
);
