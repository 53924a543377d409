import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { IncidentDetail } from "@/components/incidents/incident-detail";
import { PageHeader } from "@/components/ui/page-header";
import { getQueryClient, HydrateClient, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";
import { can } from "@/shared/permissions";

export const metadata: Metadata = { title: "Incident" };

export default async function IncidentPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requirePermission("incident.read", `/incidents/${encodeURIComponent(id)}`);
  await getQueryClient()
    .fetchQuery(trpc.incidents.get.queryOptions({ incidentId: id }))
    .catch((error: unknown) => {
      if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
      throw error;
    });
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/incidents" className="text-indigo-800 hover:underline">
            Incidents
          </Link>
        }
        title="Incident"
        description={<span className="font-mono">{id}</span>}
      />
      <HydrateClient>
        <IncidentDetail incidentId={id} canManage={can(user, "incident.manage")} />
      </HydrateClient>
    </>
  );
}
