import { listFacilitiesWithUnitTypes } from "@/server/domain/inventory/list-facilities";
import { partnerRoute } from "@/server/http/partner-route";
import { facilityList, facilityResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute({ route: "/api/v1/facilities", scope: "inventory:read", rateClass: "read" }, async ({ actor }) => ({
  status: 200,
  body: facilityList((await listFacilitiesWithUnitTypes(actor)).map(facilityResource)),
}));
