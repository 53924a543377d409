import type { Metadata } from "next";
import Link from "next/link";
import { OperationalWebhooksConsole } from "@/components/operational-webhooks/operational-webhooks-console";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Operational webhooks" };

/** The operator's own signed webhooks of incident changes (docs/operations.md#operational-webhooks). */
export default async function OperationalWebhooksPage() {
  await requirePermission("admin.manage", "/admin/operational-webhooks");
  await prefetch(trpc.operationalWebhooks.endpoints.queryOptions());
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/admin" className="text-indigo-800 hover:underline">
            Admin
          </Link>
        }
        title="Operational webhooks"
        description="Your own endpoints, told of every incident state change (incident.triggered, …) with Standard Webhooks signatures. See docs/operations.md#operational-webhooks to verify them."
      />
      <HydrateClient>
        <OperationalWebhooksConsole />
      </HydrateClient>
    </>
  );
}
