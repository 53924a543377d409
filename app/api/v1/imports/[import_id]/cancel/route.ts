import { cancelImport } from "@/server/domain/catalogue/imports/cancel-import";
import { partnerRoute } from "@/server/http/partner-route";
import { importResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const POST = partnerRoute(
  { route: "/api/v1/imports/{import_id}/cancel", scope: "catalogue:write", rateClass: "write", idempotent: true },
  async ({ actor, params, tx }) => ({ status: 200, body: importResource(await cancelImport({ import_id: params.import_id! }, actor, { tx })) }),
);
