import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Drift run" };

export default async function DriftRunPage({ params }: { params: Promise<{ runId: string }> }) {
  const { runId } = await params;
  await requirePermission("reconciliation.read", `/drift/${encodeURIComponent(runId)}`);
  return (
    <ComingSoon
      eyebrow="Drift"
      title={`Run ${runId}`}
      description="What the run scanned and each discrepancy it found, with expected and actual values."
      arrivesWith="reconciliation runs and drift reports"
      issue={6}
    />
  );
}
