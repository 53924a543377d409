import type { Metadata } from "next";
import Link from "next/link";
import { IdempotencyInspector } from "@/components/api-logs/idempotency-inspector";
import { PageHeader } from "@/components/ui/page-header";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Idempotency inspector" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function IdempotencyInspectorPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  await requirePermission("api_log.read", pathWithQuery("/api-logs/idempotency", params));
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/api-logs" className="text-indigo-800 hover:underline">
            API logs
          </Link>
        }
        title="Idempotency inspector"
        description="Paste a partner's Idempotency-Key: what was stored, when it expires, every replay, and what differed when the key was reused."
      />
      <IdempotencyInspector />
    </>
  );
}
