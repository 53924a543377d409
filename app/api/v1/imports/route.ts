import { createImport } from "@/server/domain/catalogue/imports/create-import";
import { CreateImportBody } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { importResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

// The bulk lane (docs/partner-api.md#catalogue-imports): the file is read at once and
// planned by the worker; 202 with the import to follow.
export const POST = partnerRoute(
  {
    route: "/api/v1/imports",
    scope: "catalogue:write",
    rateClass: "bulk",
    body: CreateImportBody,
    idempotent: true,
    fileBody: true,
  },
  async ({ actor, body, tx }) => {
    const created = await createImport(body, actor, { tx });
    return { status: 202, body: importResource(created), headers: { location: `/api/v1/imports/${created.id}` } };
  },
);
