import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Drift" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DriftPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("reconciliation.read", pathWithQuery("/drift", await searchParams));
  return (
    <ComingSoon
      title="Drift"
      description="Reconciliation runs: counters against facts, partners against the pools, access grants against bookings."
      arrivesWith="reconciliation runs and drift reports"
      issue={6}
    />
  );
}
