import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { pathWithQuery, requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Audit" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AuditPage({ searchParams }: { searchParams: SearchParams }) {
  await requirePermission("audit.read", pathWithQuery("/audit", await searchParams));
  return (
    <ComingSoon
      title="Audit"
      description="Who did what, from where and under which scope — allowed or denied."
      arrivesWith="the audit log"
      issue={5}
    />
  );
}
