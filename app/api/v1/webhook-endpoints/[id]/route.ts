import { deleteWebhookEndpoint } from "@/server/domain/webhooks/delete-webhook-endpoint";
import { getWebhookEndpoint } from "@/server/domain/webhooks/get-webhook-endpoint";
import { partnerRoute } from "@/server/http/partner-route";
import { webhookEndpointHealthResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const GET = partnerRoute(
  { route: "/api/v1/webhook-endpoints/{id}", scope: "webhooks:manage", rateClass: "read" },
  async ({ actor, params }) => ({ status: 200, body: webhookEndpointHealthResource(await getWebhookEndpoint(params.id!, actor)) }),
);

export const DELETE = partnerRoute(
  { route: "/api/v1/webhook-endpoints/{id}", scope: "webhooks:manage", rateClass: "write" },
  async ({ actor, params }) => {
    await deleteWebhookEndpoint(params.id!, actor);
    return { status: 204, body: undefined };
  },
);
