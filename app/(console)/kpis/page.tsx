import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "KPIs" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function KpisPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("kpi.read", pathWithQuery("/kpis", await searchParams));
  return (
    <ComingSoon
      title="KPIs"
      description="Booking success, conversion, sync lag, webhook health and occupancy, by facility and partner."
      arrivesWith="the KPI dashboards"
      issue={6}
    />
  );
}
