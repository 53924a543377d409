import { getCatalogueFacility } from "@/server/domain/catalogue/get-catalogue-facility";
import { partnerRoute } from "@/server/http/partner-route";
import { facilityDetailResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/facilities/{facility_code}", scope: "inventory:read", rateClass: "read" },
  async ({ actor, params }) => ({ status: 200, body: facilityDetailResource(await getCatalogueFacility(actor, { facility_code: params.facility_code ?? "" })) }),
);
