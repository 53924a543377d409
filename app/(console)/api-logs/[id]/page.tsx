import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { TRPCError } from "@trpc/server";
import { ApiRequestDetailView } from "@/components/api-logs/api-request-detail";
import { PageHeader } from "@/components/ui/page-header";
import { getQueryClient, HydrateClient, trpc } from "@/server/api/server-caller";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "API request" };

export default async function ApiRequestPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requirePermission("api_log.read", `/api-logs/${encodeURIComponent(id)}`);
  // Another facility's call, a malformed id, or none such: the same "not found".
  await getQueryClient()
    .fetchQuery(trpc.apiLogs.get.queryOptions({ id }))
    .catch((error: unknown) => {
      if (error instanceof TRPCError && (error.code === "NOT_FOUND" || error.code === "BAD_REQUEST" || error.code === "UNPROCESSABLE_CONTENT")) notFound();
      throw error;
    });
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/api-logs" className="text-indigo-800 hover:underline">
            API logs
          </Link>
        }
        title="API request"
        description={<span className="font-mono">#{id}</span>}
      />
      <HydrateClient>
        <ApiRequestDetailView id={id} />
      </HydrateClient>
    </>
  );
}
