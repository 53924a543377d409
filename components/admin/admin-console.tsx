"use client";

import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useCallback } from "react";
import { ErrorState } from "@/components/ui/error-state";
import { Skeleton } from "@/components/ui/skeleton";
import { TabNav } from "@/components/ui/tab-nav";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import { ApiKeysPanel } from "./api-keys-panel";
import { adminHref, parseAdminTab, type AdminTab } from "./format";
import { PartnersPanel } from "./partners-panel";
import { UsersPanel } from "./users-panel";

/**
 * The admin screen: partners, their API keys, console users. The section (and the
 * partner whose keys are shown) lives in the URL; switching only rewrites the URL
 * (history.pushState), since all three lists are already loaded.
 */
export function AdminConsole({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  const tab = parseAdminTab(searchParams.get("tab"));
  const partnerCode = searchParams.get("partner");

  const partners = useQuery(trpc.admin.partners.queryOptions());
  const users = useQuery(trpc.admin.users.queryOptions());
  const options = useQuery(trpc.admin.options.queryOptions());

  const navigate = useCallback((next: AdminTab, partner?: string | null) => {
    window.history.pushState(null, "", adminHref(next, partner));
  }, []);

  const queries = { partners, users, options };
  const failed = Object.entries(queries).find(([, q]) => q.isError && !q.data);
  const loading = partners.isPending || users.isPending || options.isPending;

  return (
    <div className="space-y-5">
      <TabNav
        label="Admin sections"
        current={tab}
        onSelect={(id) => navigate(id as AdminTab, id === "keys" ? partnerCode : null)}
        items={[
          { id: "partners", label: "Partners", href: adminHref("partners"), count: partners.data?.length },
          { id: "keys", label: "API keys", href: adminHref("keys", partnerCode), count: partners.data?.reduce((n, p) => n + p.activeKeyCount, 0) },
          { id: "users", label: "Users", href: adminHref("users"), count: users.data?.length },
        ]}
      />
      {failed ? (
        <ErrorState
          title="The admin data could not be loaded"
          message={describeError(failed[1].error).message}
          correlationId={describeError(failed[1].error).correlationId}
          onRetry={() => void Promise.all([partners.refetch(), users.refetch(), options.refetch()])}
          retrying={partners.isFetching || users.isFetching || options.isFetching}
        />
      ) : loading || !partners.data || !users.data || !options.data ? (
        <AdminSkeleton />
      ) : tab === "partners" ? (
        <PartnersPanel partners={partners.data} options={options.data} onShowKeys={(code) => navigate("keys", code)} />
      ) : tab === "keys" ? (
        <ApiKeysPanel
          partners={partners.data}
          options={options.data}
          partnerCode={partnerCode}
          onSelectPartner={(code) => navigate("keys", code)}
          onShowPartners={() => navigate("partners")}
        />
      ) : (
        <UsersPanel users={users.data} options={options.data} currentUserId={currentUserId} />
      )}
    </div>
  );
}

function AdminSkeleton() {
  return (
    <div role="status" aria-live="polite" className="rounded-lg border border-slate-200 bg-white shadow-sm" data-testid="admin-loading">
      <span className="sr-only">Loading…</span>
      <div className="border-b border-slate-200 px-4 py-4">
        <Skeleton className="h-5 w-48" />
        <Skeleton className="mt-2 h-4 w-96" />
      </div>
      <div className="space-y-3 px-4 py-4">
        {[0, 1, 2, 3].map((row) => (
          <Skeleton key={row} className="h-8 w-full" />
        ))}
      </div>
    </div>
  );
}
