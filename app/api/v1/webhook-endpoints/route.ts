import { createWebhookEndpoint } from "@/server/domain/webhooks/endpoints/create-webhook-endpoint";
import { listWebhookEndpoints } from "@/server/domain/webhooks/endpoints/list-webhook-endpoints";
import { CreateWebhookEndpointBody, WebhookEndpointsQuery } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { webhookEndpointList, webhookEndpointResource, webhookEndpointWithSecretResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/webhook-endpoints", scope: "webhooks:manage", rateClass: "read", query: WebhookEndpointsQuery },
  async ({ actor, query }) => {
    const page = await listWebhookEndpoints({ after: query.after, limit: query.limit }, actor);
    return { status: 200, body: webhookEndpointList(page.endpoints.map(webhookEndpointResource), page.nextCursor) };
  },
);

export const POST = partnerRoute(
  {
    route: "/api/v1/webhook-endpoints",
    scope: "webhooks:manage",
    rateClass: "write",
    body: CreateWebhookEndpointBody,
    idempotent: true,
    sealStoredResponse: true,
  },
  async ({ actor, body, tx }) => {
    const created = await createWebhookEndpoint(body, actor, { tx });
    return {
      status: 201,
      body: webhookEndpointWithSecretResource(created.endpoint, created.secret),
      headers: { location: `/api/v1/webhook-endpoints/${created.endpoint.id}` },
    };
  },
);
