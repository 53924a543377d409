import { recordAvailabilitySnapshot } from "@/server/domain/inventory/record-availability-snapshot";
import { AvailabilitySnapshotBody } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { snapshotResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const POST = partnerRoute(
  {
    route: "/api/v1/availability-snapshots",
    scope: "availability:write",
    rateClass: "write",
    body: AvailabilitySnapshotBody,
    idempotent: true,
  },
  async ({ actor, body, tx }) => ({ status: 201, body: snapshotResource(await recordAvailabilitySnapshot(body, actor, { tx })) }),
);
