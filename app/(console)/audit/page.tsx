import type { Metadata } from "next";
import { AuditLog } from "@/components/audit/audit-log";
import { AUDIT_LIST_LIMIT, filterFromParams } from "@/components/audit/audit-format";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { getQueryClient, Prefetched, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Audit" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requirePermission("audit.read", pathWithQuery("/audit", params));
  // The same filter the list builds from the URL, so the prefetched page is the one it reads.
  const filter = filterFromParams(params);
  const load = () =>
    Promise.all([
      getQueryClient().prefetchInfiniteQuery(
        trpc.audit.list.infiniteQueryOptions({ filter, limit: AUDIT_LIST_LIMIT }, { getNextPageParam: (page) => page.nextCursor }),
      ),
      prefetch(trpc.audit.facets.queryOptions()),
    ]);
  const scopeNote =
    user.role === "SITE_MANAGER"
      ? `Showing entries for ${user.facilityCodes.length ? user.facilityCodes.join(", ") : "your facilities (none assigned)"} only.`
      : null;
  return (
    <>
      <PageHeader title="Audit" description="Who did what, from where and under which scope — allowed or denied." />
      <Prefetched load={load} fallback={<SectionSkeleton label="Loading the audit log…" rows={10} testId="audit-loading" />}>
        <AuditLog scopeNote={scopeNote} />
      </Prefetched>
    </>
  );
}
