"use client";

import { useId, useState } from "react";
import { Badge, BadgeList, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/form";
import { RowAction, Td, Tr } from "@/components/ui/table";
import { TablePanel } from "@/components/ui/table-panel";
import { revokeApiKeyAction } from "@/server/actions/admin";
import { scopeDescription } from "@/shared/permissions";
import { AdminConfirmDialog } from "./admin-confirm-dialog";
import type { AdminApiKey, AdminOptions, AdminPartner } from "./admin-data";
import { CreateKeyDialog } from "./create-key-dialog";
import { DateTime } from "./date-time";
import { formatRateLimit } from "./format";

export interface ApiKeysPanelProps {
  partners: AdminPartner[];
  options: AdminOptions;
  /** ?partner= from the URL; the first partner when absent or unknown */
  partnerCode: string | null;
  onSelectPartner: (code: string) => void;
  onShowPartners: () => void;
}

/** One partner's API keys: what each may do, where, how fast, and when it was last used. */
export function ApiKeysPanel({ partners, options, partnerCode, onSelectPartner, onShowPartners }: ApiKeysPanelProps) {
  const [creating, setCreating] = useState(false);
  const [revoking, setRevoking] = useState<AdminApiKey | null>(null);

  if (partners.length === 0) {
    return (
      <EmptyState
        title="No partners yet"
        description="API keys belong to a partner. Create the partner first."
        action={<Button onClick={onShowPartners}>Go to partners</Button>}
      />
    );
  }

  const partner = partners.find((p) => p.code === partnerCode) ?? partners[0]!;
  // Active keys first, newest first within each group.
  const keys = [...partner.keys].sort((a, b) => Number(Boolean(a.revokedAt)) - Number(Boolean(b.revokedAt)));

  return (
    <>
      <TablePanel
        headingId="keys-heading"
        title={
          <>
            API keys of <span className="font-mono">{partner.code}</span>
          </>
        }
        description="Only a hash of each key is stored: its secret is shown once, when it is created. A revoked key is refused from the next request."
        actions={<Button onClick={() => setCreating(true)}>Create key</Button>}
        toolbar={<PartnerBar partners={partners} partner={partner} onSelectPartner={onSelectPartner} />}
        rows={keys}
        caption={`API keys of ${partner.code}`}
        columns={["Key", "Scopes", "Facilities", "Rate limits", "Created", "Last used", "Status"]}
        actionsColumn="Actions"
        empty={
          <EmptyState
            className="m-4"
            title={`${partner.code} has no API keys`}
            description="Create one and hand it to the partner's developers; they send it as Authorization: Bearer <key>."
            action={<Button onClick={() => setCreating(true)}>Create key</Button>}
          />
        }
        renderRow={(key) => (
          <Tr key={key.id} data-testid="api-key-row" data-key-name={key.name} className={key.revokedAt ? "bg-slate-50/60" : "hover:bg-slate-50"}>
            <Td className="min-w-40">
              <span className={key.revokedAt ? "block font-medium text-slate-600" : "block font-medium text-slate-900"}>{key.name}</span>
              <code className="block font-mono text-xs text-slate-600" title="The key's first characters">
                {key.prefix}…
              </code>
            </Td>
            <Td className="min-w-56">
              <BadgeList
                items={key.scopes.map((scope) => ({
                  id: scope,
                  label: scope,
                  tone: scope.endsWith(":read") ? "neutral" : "info",
                  title: scopeDescription(scope),
                }))}
                badgeClassName="font-mono"
              />
            </Td>
            <Td>
              {key.facilities.length === 0 ? (
                <span className="text-slate-600">All</span>
              ) : (
                <BadgeList items={key.facilities.map((f) => ({ id: f.id, label: f.code }))} badgeClassName="font-mono" />
              )}
            </Td>
            <Td className="text-xs whitespace-nowrap text-slate-700">
              <span className="block">Read {formatRateLimit(key.readRateLimitPerMinute)}</span>
              <span className="block">Write {formatRateLimit(key.writeRateLimitPerMinute)}</span>
            </Td>
            <Td>
              <DateTime value={key.createdAt} />
            </Td>
            <Td>
              <DateTime value={key.lastUsedAt} />
            </Td>
            <Td className="whitespace-nowrap">
              {key.revokedAt ? (
                <>
                  <StatusBadge status="revoked" />
                  <span className="mt-0.5 block">
                    <DateTime value={key.revokedAt} />
                  </span>
                </>
              ) : (
                <StatusBadge status="active" />
              )}
            </Td>
            <Td className="text-right">
              {key.revokedAt ? null : (
                <RowAction subject={key.name} onClick={() => setRevoking(key)}>
                  Revoke
                </RowAction>
              )}
            </Td>
          </Tr>
        )}
      />

      {creating ? <CreateKeyDialog partner={partner} options={options} onClose={() => setCreating(false)} /> : null}
      {revoking ? <RevokeKeyDialog partner={partner} apiKey={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}

/** Whose keys are shown, and a warning when that partner is inactive. */
function PartnerBar({ partners, partner, onSelectPartner }: { partners: AdminPartner[]; partner: AdminPartner; onSelectPartner: (code: string) => void }) {
  const id = useId();
  return (
    <>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-200 bg-slate-50 px-4 py-2.5">
        <label htmlFor={id} className="text-sm font-medium text-slate-700">
          Partner
        </label>
        <div className="w-80">
          <Select id={id} value={partner.code} onChange={(e) => onSelectPartner(e.target.value)}>
            {partners.map((p) => (
              <option key={p.id} value={p.code}>
                {p.code} · {p.activeKeyCount} active key{p.activeKeyCount === 1 ? "" : "s"}
                {p.active ? "" : " (inactive)"}
              </option>
            ))}
          </Select>
        </div>
        <span className="text-sm text-slate-700">{partner.name}</span>
        {partner.active ? null : <Badge tone="warning">Inactive partner</Badge>}
      </div>
      {partner.active ? null : (
        <p className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-sm text-amber-900" role="note">
          {partner.code} is inactive: all its keys are refused until the partner is activated again (Partners tab).
        </p>
      )}
    </>
  );
}

function RevokeKeyDialog({ partner, apiKey, onClose }: { partner: AdminPartner; apiKey: AdminApiKey; onClose: () => void }) {
  return (
    <AdminConfirmDialog
      action={revokeApiKeyAction}
      input={{ apiKeyId: apiKey.id }}
      refetch="partners"
      onClose={onClose}
      title={<>Revoke “{apiKey.name}”?</>}
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
    >
      <p>
        <span className="font-mono">{partner.code}</span>&apos;s key <code className="font-mono">{apiKey.prefix}…</code> is refused with
        401 from the next request. This cannot be undone: to restore access, create a new key.
      </p>
    </AdminConfirmDialog>
  );
}
