import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { PageHeader } from "@/components/ui/page-header";
import { DeliveryDetailView } from "@/components/webhooks/delivery-detail";
import { getQueryClient, HydrateClient, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";
import { actionsFor } from "@/shared/permissions";

export const metadata: Metadata = { title: "Webhook delivery" };

export default async function WebhookDeliveryPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePermission("delivery.read", `/webhooks/deliveries/${encodeURIComponent(id)}`);
  // Another facility's delivery, or none such: the same "not found".
  await getQueryClient()
    .fetchQuery(trpc.webhooks.delivery.queryOptions({ deliveryId: id }))
    .catch((error: unknown) => {
      if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
      throw error;
    });
  const can = actionsFor(user);
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/webhooks" className="text-indigo-800 hover:underline">
            Webhooks
          </Link>
        }
        title="Delivery"
        description={<span className="font-mono">{id}</span>}
      />
      <HydrateClient>
        <DeliveryDetailView deliveryId={id} actions={{ replayDelivery: can.replayDelivery, bulkReplay: can.bulkReplay, manageEndpoints: can.manageEndpoints }} />
      </HydrateClient>
    </>
  );
}
