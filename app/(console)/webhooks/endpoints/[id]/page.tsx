import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePermission("delivery.read", `/webhooks/endpoints/${encodeURIComponent(id)}`);
  return (
    <ComingSoon
      eyebrow="Webhooks"
      title={`Endpoint ${id}`}
      description="Success rate, latency, consecutive failures, lag and the endpoint's deliveries."
      arrivesWith="the endpoint detail and health"
      issue={5}
    />
  );
}
