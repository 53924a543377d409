import type { Metadata } from "next";
import Link from "next/link";
import { ImportUploadForm } from "@/components/catalogue/imports/import-upload-form";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Import units" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** The upload of a file of units (docs/domain.md#catalogue-imports); ops leads and admins. */
export default async function NewImportPage({ searchParams }: { searchParams: SearchParams }) {
  const query = await searchParams;
  await requirePermission("catalogue.manage", pathWithQuery("/catalogue/imports/new", query));
  const facility = typeof query.facility === "string" && query.facility ? query.facility : null;
  await prefetch(trpc.catalogue.list.queryOptions());
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href={facility ? `/catalogue?${new URLSearchParams({ facility })}` : "/catalogue"} className="text-indigo-800 hover:underline">
            Catalogue
          </Link>
        }
        title="Import units"
        description="Add, change or retire a facility's units from a file. You see what it would change, and apply it, on the next page."
      />
      <HydrateClient>
        <ImportUploadForm facilityCode={facility} />
      </HydrateClient>
    </>
  );
}
