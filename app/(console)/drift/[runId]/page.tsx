import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { RunDetail } from "@/components/drift/run-detail";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";
import { can } from "@/shared/permissions";
import { ID_PATTERN } from "@/shared/ids";

export const metadata: Metadata = { title: "Drift run" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function DriftRunPage({ params, searchParams }: { params: Promise<{ runId: string }>; searchParams: SearchParams }) {
  const { runId } = await params;
  const query = await searchParams;
  const user = await requirePermission("reconciliation.read", pathWithQuery(`/drift/${encodeURIComponent(runId)}`, query));
  if (!ID_PATTERN.rec.test(runId)) notFound();
  const filters = Object.fromEntries(
    (["facility", "kind", "status", "severity"] as const).flatMap((key) => (typeof query[key] === "string" && query[key] ? [[key, query[key]]] : [])),
  );
  // A filter the schema refuses is dropped by the client too; the prefetch then simply misses.
  await prefetch(trpc.drift.run.queryOptions({ runId, ...filters }));
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/drift" className="text-indigo-800 hover:underline">
            Drift
          </Link>
        }
        title={<span className="font-mono text-xl">{runId}</span>}
        description="What the run scanned and each discrepancy it found, grouped by facility and kind, expected beside actual."
      />
      <HydrateClient>
        <RunDetail runId={runId} canRun={can(user, "reconciliation.run")} />
      </HydrateClient>
    </>
  );
}
