import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "API docs" };

export default async function ApiDocsPage() {
  await requirePermission(null, "/api-docs");
  return (
    <ComingSoon
      title="API docs"
      description="The partner REST API (/api/v1), generated from the same schemas the server validates with."
      arrivesWith="the partner API reference"
      issue={3}
    />
  );
}
