import { buildOpenApiDocument } from "@/server/http/openapi";

// Served from memory with a minutes-long cache (docs/operations.md#security-headers): a
// deploy that changes the API is seen by clients within five minutes, not a year.
export const dynamic = "force-dynamic";

let document: ReturnType<typeof buildOpenApiDocument> | undefined;

export function GET(): Response {
  document ??= buildOpenApiDocument();
  return Response.json(document, { headers: { "cache-control": "public, max-age=300" } });
}
