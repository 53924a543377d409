import { applyImport } from "@/server/domain/catalogue/imports/apply-import";
import { partnerRoute } from "@/server/http/partner-route";
import { importResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

// 202: the worker applies the rows in batches; follow it with GET /api/v1/imports/{import_id}.
export const POST = partnerRoute(
  { route: "/api/v1/imports/{import_id}/apply", scope: "catalogue:write", rateClass: "write", idempotent: true },
  async ({ actor, params, tx }) => ({ status: 202, body: importResource(await applyImport({ import_id: params.import_id! }, actor, { tx })) }),
);
