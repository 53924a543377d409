import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { parseBoardFilters, parseUnitParam } from "@/components/inventory/board-filters";
import { FacilityBoard } from "@/components/inventory/facility-board";
import { PageHeader } from "@/components/ui/page-header";
import { getQueryClient, getServerCaller, HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";
import { can } from "@/shared/permissions";

export const metadata: Metadata = { title: "Facility inventory" };

type SearchParams = Record<string, string | string[] | undefined>;

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
  const input = { facilityCode, ...parseBoardFilters(query) };
  const caller = await getServerCaller();
  // Outside a site manager's facilities, or no such facility: the same "not found".
  const board = await caller.inventory.board(input).catch((error: unknown) => {
    if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST")) notFound();
    throw error;
  });
  // The board the client asks for first, already here: no loading flash, no second read.
  getQueryClient().setQueryData(trpc.inventory.board.queryKey(input), board);
  const unitCode = parseUnitParam(query);
  await Promise.all([
    prefetch(trpc.inventory.holds.queryOptions({ facilityCode })),
    unitCode ? prefetch(trpc.inventory.unit.queryOptions({ facilityCode, unitCode })) : null,
  ]);
  const { facility } = board;
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
      <HydrateClient>
        <FacilityBoard
          facilityCode={facility.code}
          timezone={facility.timezone}
          canBlock={can(user, "unit.block", board.facilityId)}
          canRelease={can(user, "booking.cancel", board.facilityId)}
        />
      </HydrateClient>
    </>
  );
}
