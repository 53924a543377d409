import { deleteWebhookEndpoint } from "@/server/domain/webhooks/endpoints/delete-webhook-endpoint";
import { getWebhookEndpoint } from "@/server/domain/webhooks/endpoints/get-webhook-endpoint";
import { updateWebhookEndpoint } from "@/server/domain/webhooks/endpoints/update-webhook-endpoint";
import { UpdateWebhookEndpointBody } from "@/server/http/api-schemas";
import { partnerRoute } from "@/server/http/partner-route";
import { webhookEndpointHealthResource, webhookEndpointResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/webhook-endpoints/{id}", scope: "webhooks:manage", rateClass: "read" },
  async ({ actor, params }) => ({ status: 200, body: webhookEndpointHealthResource(await getWebhookEndpoint(params.id!, actor)) }),
);

export const PATCH = partnerRoute(
  {
    route: "/api/v1/webhook-endpoints/{id}",
    scope: "webhooks:manage",
    rateClass: "write",
    body: UpdateWebhookEndpointBody,
    idempotent: true,
  },
  async ({ actor, body, params, tx }) => ({
    status: 200,
    body: webhookEndpointResource(await updateWebhookEndpoint(params.id!, body, actor, { tx })),
  }),
);

export const DELETE = partnerRoute(
  { route: "/api/v1/webhook-endpoints/{id}", scope: "webhooks:manage", rateClass: "write" },
  async ({ actor, params }) => {
    await deleteWebhookEndpoint(params.id!, actor);
    return { status: 204, body: undefined };
  },
);
