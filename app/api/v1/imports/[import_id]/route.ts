import { getImport } from "@/server/domain/catalogue/imports/get-import";
import { ImportQuery } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { importDetailResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/imports/{import_id}", scope: "catalogue:write", rateClass: "read", query: ImportQuery },
  async ({ actor, params, query }) => ({
    status: 200,
    body: importDetailResource(await getImport({ import_id: params.import_id!, rows: query.rows, after_line: query.after_line, limit: query.limit }, actor)),
  }),
);
