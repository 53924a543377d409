import type { Metadata } from "next";
import { IncidentList } from "@/components/incidents/incident-list";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Incidents" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function IncidentsPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("incident.read", pathWithQuery("/incidents", await searchParams));
  return (
    <>
      <PageHeader
        title="Incidents"
        description="Conditions that need someone: failing or disabled endpoints, dead letters, delivery backlogs, drift, holds past expiry, a silent worker, failed runs and payments. One incident per condition and subject; it resolves itself when the condition clears."
      />
      <HydrateClient>
        <IncidentList />
      </HydrateClient>
    </>
  );
}
