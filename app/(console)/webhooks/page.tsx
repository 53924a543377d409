import type { Metadata } from "next";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { WebhooksConsole } from "@/components/webhooks/webhooks-console";
import { Prefetched, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";
import { actionsFor } from "@/shared/permissions";

export const metadata: Metadata = { title: "Webhooks" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function WebhooksPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePermission("delivery.read", pathWithQuery("/webhooks", await searchParams));
  // The log itself loads in the browser: its filter comes from the URL there.
  const load = () => Promise.all([prefetch(trpc.webhooks.endpoints.queryOptions()), prefetch(trpc.webhooks.replayJobs.queryOptions({ limit: 10 }))]);
  const can = actionsFor(user);
  return (
    <>
      <PageHeader
        title="Webhooks"
        description={
          user.role === "SITE_MANAGER"
            ? "Partner endpoints and the deliveries of your facilities' events: every attempt, what the partner answered, and replays."
            : "Partner endpoints and their health, every delivery and attempt, dead letters and replays."
        }
      />
      <Prefetched load={load} fallback={<SectionSkeleton label="Loading endpoints and deliveries…" testId="webhooks-loading" />}>
        <WebhooksConsole actions={{ replayDelivery: can.replayDelivery, bulkReplay: can.bulkReplay, manageEndpoints: can.manageEndpoints }} />
      </Prefetched>
    </>
  );
}
