import type { Metadata } from "next";
import { ApiReference } from "@/components/api-docs/api-reference";
import type { OpenApiDocument } from "@/components/api-docs/openapi-model";
import { buildOpenApiDocument } from "@/server/http/openapi";

export const metadata: Metadata = {
  title: "Partner API reference",
  description: "The Holdfast partner API (/api/v1): endpoints, schemas, error codes and event types.",
};

/**
 * Public, like /api/v1/openapi.json: partners' developers read it without a console
 * account, and problem+json `type` URIs (/api-docs#error-…) must resolve for them. It
 * lives outside (console) so it needs no session; the console's nav links here. Built
 * once at build time from the same document the API serves.
 */
export const dynamic = "force-static";

export default function ApiDocsPage() {
  return <ApiReference document={buildOpenApiDocument() as unknown as OpenApiDocument} />;
}
