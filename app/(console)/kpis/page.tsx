import type { Metadata } from "next";
import { KpisDashboard } from "@/components/kpis/kpis-dashboard";
import { kpiInputFromParams } from "@/components/kpis/params";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { Prefetched, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "KPIs" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function KpisPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requirePermission("kpi.read", pathWithQuery("/kpis", params));
  return (
    <>
      <PageHeader
        title="KPIs"
        description={
          user.role === "SITE_MANAGER"
            ? "Bookings, holds, webhooks and occupancy at your facilities, over time. Each chart says exactly what it counts."
            : "Booking success, conversion, sync lag, webhook health, auth failures and occupancy, by facility and partner. Each chart says exactly what it counts."
        }
      />
      <Prefetched
        load={() => Promise.all([prefetch(trpc.kpis.filters.queryOptions()), prefetch(trpc.kpis.dashboard.queryOptions(kpiInputFromParams(params)))])}
        fallback={<SectionSkeleton label="Loading the KPIs…" rows={6} testId="kpis-loading" />}
      >
        <KpisDashboard />
      </Prefetched>
    </>
  );
}
