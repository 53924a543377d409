import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Suspense } from "react";
import { TRPCError } from "@trpc/server";
import { parseBoardFilters, parseUnitParam } from "@/components/inventory/board-filters";
import { BoardSkeleton, FacilityBoard } from "@/components/inventory/facility-board";
import { PageHeader } from "@/components/ui/page-header";
import { getQueryClient, getServerCaller, HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";
import type { SessionUser } from "@/server/domain/users/load-session-user";
import { can } from "@/shared/permissions";

export const metadata: Metadata = { title: "Facility inventory" };

type SearchParams = Record<string, string | string[] | undefined>;

/**
 * The facility board (docs/performance.md#inventory-board): the frame — header, facility —
 * goes out at once; the board (counters, one page of units, holds) streams in behind a
 * skeleton as soon as its reads are done.
 */
export default async function FacilityInventoryPage({
  params,
  searchParams,
}: {
  params: Promise<{ facilityCode: string }>;
  searchParams: Promise<SearchParams>;
}) {
  const [{ facilityCode: rawCode }, query] = await Promise.all([params, searchParams]);
  const user = await requirePermission("inventory.read", pathWithQuery(`/inventory/${encodeURIComponent(rawCode)}`, query));
  const facilityCode = rawCode.toUpperCase();
  const caller = await getServerCaller();
  // Outside a site manager's facilities, or no such facility: the same "not found".
  const facility = await caller.inventory.facility({ facilityCode }).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/inventory" className="text-indigo-800 hover:underline">
            Inventory
          </Link>
        }
        title={
          <>
            <span className="font-mono">{facility.code}</span> · {facility.name}
          </>
        }
        description={`${facility.city} · ${facility.timezone} · ${facility.pools.length} unit types, ${facility.totals.total} units`}
      />
      <Suspense fallback={<BoardSkeleton />}>
        <BoardSection user={user} facilityCode={facility.code} timezone={facility.timezone} query={query} />
      </Suspense>
    </>
  );
}

async function BoardSection({ user, facilityCode, timezone, query }: { user: SessionUser; facilityCode: string; timezone: string; query: SearchParams }) {
  const input = { facilityCode, ...parseBoardFilters(query) };
  const unitCode = parseUnitParam(query);
  const caller = await getServerCaller();
  const [board] = await Promise.all([
    // A failure is not thrown: the client finds no data and shows its error state with a retry.
    caller.inventory.board(input).catch(() => null),
    prefetch(trpc.inventory.holds.queryOptions({ facilityCode })),
    unitCode ? prefetch(trpc.inventory.unit.queryOptions({ facilityCode, unitCode })) : null,
  ]);
  // The board the client asks for first, already here: no loading flash, no second read.
  if (board) getQueryClient().setQueryData(trpc.inventory.board.queryKey(input), board);
  const facilityId = board?.facilityId;
  return (
    <HydrateClient>
      <FacilityBoard
        facilityCode={facilityCode}
        timezone={timezone}
        canBlock={facilityId ? can(user, "unit.block", facilityId) : false}
        canRelease={facilityId ? can(user, "booking.cancel", facilityId) : false}
      />
    </HydrateClient>
  );
}
