import { rotateWebhookSecret } from "@/server/domain/webhooks/endpoints/rotate-webhook-secret";
import { partnerRoute } from "@/server/http/partner-route";
import { webhookEndpointWithSecretResource } from "@/server/http/resources";

export const dynamic = "force-dynamic";

export const POST = partnerRoute(
  {
    route: "/api/v1/webhook-endpoints/{id}/rotate-secret",
    scope: "webhooks:manage",
    rateClass: "write",
    idempotent: true,
    sealStoredResponse: true,
  },
  async ({ actor, params, tx }) => {
    const rotated = await rotateWebhookSecret(params.id!, actor, { tx });
    return { status: 200, body: webhookEndpointWithSecretResource(rotated.endpoint, rotated.secret) };
  },
);
