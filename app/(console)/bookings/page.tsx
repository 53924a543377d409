import type { Metadata } from "next";
import { BookingsSearch } from "@/components/bookings/bookings-search";
import { filterFromParams, searchInput } from "@/components/bookings/format";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { PageHeader } from "@/components/ui/page-header";
import { getQueryClient, Prefetched, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Bookings" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function BookingsPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const user = await requirePermission("booking.read", pathWithQuery("/bookings", params));
  const input = searchInput(filterFromParams(params));
  // Failures are not thrown: the client shows the error (e.g. a bad date in the URL) and a way out.
  const load = () =>
    Promise.all([
      getQueryClient()
        .prefetchInfiniteQuery(trpc.bookings.search.infiniteQueryOptions(input, { getNextPageParam: (last) => last.nextCursor ?? undefined }))
        .catch(() => undefined),
      prefetch(trpc.bookings.filterOptions.queryOptions()),
    ]);
  return (
    <>
      <PageHeader
        title="Bookings"
        description={
          user.role === "SITE_MANAGER"
            ? `Bookings at your facilities (${user.facilityCodes.join(", ") || "none assigned"}): find one by any key a customer, partner or log quotes.`
            : "Every booking: find one by any key a customer, partner or log quotes."
        }
      />
      <Prefetched load={load} fallback={<SectionSkeleton label="Loading bookings…" rows={10} testId="bookings-loading" />}>
        <BookingsSearch />
      </Prefetched>
    </>
  );
}
