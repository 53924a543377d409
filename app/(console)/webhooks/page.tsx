import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Webhooks" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function WebhooksPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("delivery.read", pathWithQuery("/webhooks", await searchParams));
  return (
    <ComingSoon
      title="Webhooks"
      description="Partner endpoints, their health, and every delivery and attempt."
      arrivesWith="the webhook endpoints and delivery log"
      issue={5}
    />
  );
}
