import type { Metadata } from "next";
import { ApiLogList } from "@/components/api-logs/api-log-list";
import { API_LOG_PAGE_SIZE, apiLogFilterFromParams } from "@/components/api-logs/api-log-params";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { getQueryClient, Prefetched, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "API logs" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function ApiLogsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requirePermission("api_log.read", pathWithQuery("/api-logs", params));
  // The same filter the list builds from the URL, so the prefetched page is the one it reads.
  const filter = apiLogFilterFromParams(params);
  const load = () =>
    getQueryClient().prefetchInfiniteQuery(
      trpc.apiLogs.list.infiniteQueryOptions({ filter, limit: API_LOG_PAGE_SIZE }, { getNextPageParam: (page) => page.nextCursor }),
    );
  const scopeNote =
    user.role === "SITE_MANAGER"
      ? `Showing calls on ${user.facilityCodes.length ? user.facilityCodes.join(", ") : "your facilities (none assigned)"} only.`
      : null;
  return (
    <>
      <PageHeader title="API logs" description="What each partner sent, what they were told, and what it caused — by request, key or correlation id." />
      <Prefetched load={load} fallback={<SectionSkeleton label="Loading partner API calls…" rows={10} testId="api-logs-loading" />}>
        <ApiLogList scopeNote={scopeNote} />
      </Prefetched>
    </>
  );
}
