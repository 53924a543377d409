import type { Metadata } from "next";
import Link from "next/link";
import { AdminConsole } from "@/components/admin/admin-console";
import { PageHeader } from "@/components/ui/page-header";
import { SectionSkeleton } from "@/components/ui/skeleton";
import { Prefetched, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Admin" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requirePermission("admin.manage", pathWithQuery("/admin", await searchParams));
  // All three sections load together: switching between them needs no round trip.
  const load = () =>
    Promise.all([prefetch(trpc.admin.partners.queryOptions()), prefetch(trpc.admin.users.queryOptions()), prefetch(trpc.admin.options.queryOptions())]);
  return (
    <>
      <PageHeader
        title="Admin"
        description="Partners and their API keys, and the people who use this console."
        actions={
          <Link href="/admin/operational-webhooks" className="text-sm text-indigo-800 hover:underline">
            Operational webhooks
          </Link>
        }
      />
      <Prefetched load={load} fallback={<SectionSkeleton label="Loading partners and users…" testId="admin-loading" />}>
        <AdminConsole currentUserId={user.id} />
      </Prefetched>
    </>
  );
}
