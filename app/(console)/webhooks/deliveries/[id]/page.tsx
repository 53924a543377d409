import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Webhook delivery" };

export default async function WebhookDeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePermission("delivery.read", `/webhooks/deliveries/${encodeURIComponent(id)}`);
  return (
    <ComingSoon
      eyebrow="Webhooks"
      title={`Delivery ${id}`}
      description="The event, every attempt to deliver it and what the endpoint answered."
      arrivesWith="the delivery detail and its attempts"
      issue={5}
    />
  );
}
