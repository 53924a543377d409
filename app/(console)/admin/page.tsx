import type { Metadata } from "next";
import { ComingSoon } from "@/components/console/coming-soon";
import { requirePermission } from "@/server/auth/guards";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requirePermission("admin.manage", "/admin");
  return (
    <ComingSoon
      title="Admin"
      description="Console users, partners and their API keys."
      arrivesWith="partner and API key administration"
      issue={3}
    />
  );
}
