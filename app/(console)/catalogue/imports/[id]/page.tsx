import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ImportDetail } from "@/components/catalogue/imports/import-detail";
import { importDetailInput } from "@/components/catalogue/imports/import-format";
import { PageHeader } from "@/components/ui/page-header";
import { HydrateClient, prefetch, trpc } from "@/server/api/server-caller";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";
import { ID_PATTERN } from "@/shared/ids";

export const metadata: Metadata = { title: "Import" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

/** One catalogue import (docs/domain.md#catalogue-imports): its diff, rows, progress; Apply and Cancel. */
export default async function ImportPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: SearchParams }) {
  const { id } = await params;
  const query = await searchParams;
  await requirePermission("catalogue.manage", pathWithQuery(`/catalogue/imports/${encodeURIComponent(id)}`, query));
  if (!ID_PATTERN.imp.test(id)) notFound();
  const flat = Object.fromEntries(Object.entries(query).flatMap(([key, value]) => (typeof value === "string" ? [[key, value]] : [])));
  await prefetch(trpc.catalogue.imports.get.queryOptions(importDetailInput(id, flat)));
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/catalogue" className="text-indigo-800 hover:underline">
            Catalogue
          </Link>
        }
        title={<span className="font-mono text-xl">{id}</span>}
        description="A catalogue import: what the file changes, then its progress once applied."
      />
      <HydrateClient>
        <ImportDetail importId={id} />
      </HydrateClient>
    </>
  );
}
