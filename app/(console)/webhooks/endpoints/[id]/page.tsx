import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { PageHeader } from "@/components/ui/page-header";
import { EndpointDetailView } from "@/components/webhooks/endpoint-detail";
import { getQueryClient, HydrateClient, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";
import { actionsFor } from "@/shared/permissions";

export const metadata: Metadata = { title: "Webhook endpoint" };

export default async function WebhookEndpointPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePermission("delivery.read", `/webhooks/endpoints/${encodeURIComponent(id)}`);
  const endpoint = await getQueryClient()
    .fetchQuery(trpc.webhooks.endpoint.queryOptions({ endpointId: id }))
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
        title={`Endpoint of ${endpoint.partnerCode}`}
        description={<span className="font-mono">{endpoint.id}</span>}
      />
      <HydrateClient>
        <EndpointDetailView endpointId={id} actions={{ replayDelivery: can.replayDelivery, bulkReplay: can.bulkReplay, manageEndpoints: can.manageEndpoints }} />
      </HydrateClient>
    </>
  );
}
