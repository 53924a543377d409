"use client";

import { useId, useState } from "react";
import { ActionFailureAlert } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { ConfirmDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/form";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import { revokeApiKeyAction } from "@/server/actions/admin";
import { useInvalidateAdmin, type AdminApiKey, type AdminOptions, type AdminPartner } from "./admin-data";
import { CreateKeyDialog } from "./create-key-dialog";
import { DateTime } from "./date-time";
import { formatRateLimit, SCOPE_DESCRIPTIONS } from "./format";

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
  const selectId = useId();
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
      <Card aria-labelledby="keys-heading">
        <CardHeader
          id="keys-heading"
          title={
            <>
              API keys of <span className="font-mono">{partner.code}</span>
            </>
          }
          description={
            <span className="block max-w-2xl">
              Only a hash of each key is stored: its secret is shown once, when it is created. A revoked key is refused from the next
              request.
            </span>
          }
          actions={<Button onClick={() => setCreating(true)}>Create key</Button>}
        />
        <div className="flex flex-wrap items-center gap-x-3 gap-y-2 border-b border-slate-200 bg-slate-50 px-4 py-2.5">
          <label htmlFor={selectId} className="text-sm font-medium text-slate-700">
            Partner
          </label>
          <div className="w-80">
            <Select id={selectId} value={partner.code} onChange={(e) => onSelectPartner(e.target.value)}>
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
        {keys.length === 0 ? (
          <EmptyState
            className="m-4"
            title={`${partner.code} has no API keys`}
            description="Create one and hand it to the partner's developers; they send it as Authorization: Bearer <key>."
            action={<Button onClick={() => setCreating(true)}>Create key</Button>}
          />
        ) : (
          <Table caption={`API keys of ${partner.code}`}>
            <THead>
              <Tr>
                <Th>Key</Th>
                <Th>Scopes</Th>
                <Th>Facilities</Th>
                <Th>Rate limits</Th>
                <Th>Created</Th>
                <Th>Last used</Th>
                <Th>Status</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {keys.map((key) => (
                <Tr key={key.id} data-testid="api-key-row" data-key-name={key.name} className={key.revokedAt ? "bg-slate-50/60" : "hover:bg-slate-50"}>
                  <Td className="min-w-40">
                    <span className={key.revokedAt ? "block font-medium text-slate-600" : "block font-medium text-slate-900"}>{key.name}</span>
                    <code className="block font-mono text-xs text-slate-600" title="The key's first characters">
                      {key.prefix}…
                    </code>
                  </Td>
                  <Td className="min-w-56">
                    <div className="flex flex-wrap gap-1">
                      {key.scopes.map((scope) => (
                        <Badge key={scope} tone={scope.endsWith(":read") ? "neutral" : "info"} title={SCOPE_DESCRIPTIONS[scope]} className="font-mono">
                          {scope}
                        </Badge>
                      ))}
                    </div>
                  </Td>
                  <Td>
                    {key.facilities.length === 0 ? (
                      <span className="text-slate-600">All</span>
                    ) : (
                      <div className="flex flex-wrap gap-1">
                        {key.facilities.map((f) => (
                          <Badge key={f.id} className="font-mono">
                            {f.code}
                          </Badge>
                        ))}
                      </div>
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
                        <Badge tone="danger">Revoked</Badge>
                        <span className="mt-0.5 block">
                          <DateTime value={key.revokedAt} />
                        </span>
                      </>
                    ) : (
                      <Badge tone="success">Active</Badge>
                    )}
                  </Td>
                  <Td className="text-right">
                    {key.revokedAt ? null : (
                      <Button size="sm" variant="secondary" onClick={() => setRevoking(key)}>
                        Revoke<span className="sr-only"> {key.name}</span>
                      </Button>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      {creating ? <CreateKeyDialog partner={partner} options={options} onClose={() => setCreating(false)} /> : null}
      {revoking ? <RevokeKeyDialog partner={partner} apiKey={revoking} onClose={() => setRevoking(null)} /> : null}
    </>
  );
}

function RevokeKeyDialog({ partner, apiKey, onClose }: { partner: AdminPartner; apiKey: AdminApiKey; onClose: () => void }) {
  const invalidate = useInvalidateAdmin();
  const action = useConsoleAction(revokeApiKeyAction, {
    onSuccess: async () => {
      await invalidate("partners");
      onClose();
    },
  });
  return (
    <ConfirmDialog
      title={<>Revoke “{apiKey.name}”?</>}
      confirmLabel="Revoke key"
      pendingLabel="Revoking…"
      pending={action.pending}
      onClose={onClose}
      onConfirm={() => void action.run({ apiKeyId: apiKey.id })}
      error={<ActionFailureAlert failure={action.failure} />}
    >
      <p>
        <span className="font-mono">{partner.code}</span>&apos;s key <code className="font-mono">{apiKey.prefix}…</code> is refused with
        401 from the next request. This cannot be undone: to restore access, create a new key.
      </p>
    </ConfirmDialog>
  );
}
