import type { Metadata } from "next";
import { DriftOverview } from "@/components/drift/drift-overview";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";
import { can } from "@/shared/permissions";

export const metadata: Metadata = { title: "Drift" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DriftPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  const user = await requirePermission("reconciliation.read", pathWithQuery("/drift", query));
  if (query.view === "partners") await prefetch(trpc.drift.partnerSync.queryOptions());
  else await prefetch(trpc.drift.runs.queryOptions());
  return (
    <>
      <PageHeader
        title="Drift"
        description="Reconciliation checks the pools' counters against their units, units against bookings and blocks, what partners were told against the pools, and access codes against bookings."
      />
      <HydrateClient>
        <DriftOverview canRun={can(user, "reconciliation.run")} />
      </HydrateClient>
    </>
  );
}
