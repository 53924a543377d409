import type { Metadata } from "next";
import { headers } from "next/headers";
import { ApiReference } from "@/components/api-docs/api-reference";
import type { OpenApiDocument } from "@/components/api-docs/openapi-model";
import { pageExamples } from "@/components/api-docs/page-examples";
import { config } from "@/server/config";
import { buildOpenApiDocument } from "@/server/http/openapi";

export const metadata: Metadata = {
  title: "Partner API reference",
  description: "The Holdfast partner API (/api/v1): endpoints, schemas, error codes and event types.",
};

/**
 * Public, like /api/v1/openapi.json: partners' developers read it without a console
 * account, and problem+json `type` URIs (/api-docs#error-…) must resolve for them. It
 * lives outside (console) so it needs no session; the console's nav links here.
 *
 * Rendered per request, so its examples work on the day they are read: the move-in date
 * is a week from today (a fixed date is refused once it has passed), each POST has a
 * fresh Idempotency-Key, and the base URL is the one the page was asked for.
 */
export const dynamic = "force-dynamic";

export default async function ApiDocsPage() {
  return (
    <ApiReference
      document={buildOpenApiDocument() as unknown as OpenApiDocument}
      examples={pageExamples(await headers(), config().demo)}
    />
  );
}
