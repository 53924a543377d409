"use client";

import { useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus";
import { Table, TBody, Td, Th, THead, Tr } from "@/components/ui/table";
import type { AdminOptions, AdminPartner } from "./admin-data";
import { DateTime } from "./date-time";
import { adminHref, formatDuration, partnerKindLabel } from "./format";
import { CreatePartnerDialog, EditPartnerDialog, PartnerActiveDialog } from "./partner-dialogs";
import { SuccessNotice } from "./success-notice";

export interface PartnersPanelProps {
  partners: AdminPartner[];
  options: AdminOptions;
  onShowKeys: (partnerCode: string) => void;
}

/** Partners: the channels that book through the API, with their hold TTL and keys. */
export function PartnersPanel({ partners, options, onShowKeys }: PartnersPanelProps) {
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<AdminPartner | null>(null);
  const [toggling, setToggling] = useState<AdminPartner | null>(null);
  const [created, setCreated] = useState<string | null>(null);

  return (
    <>
      {created ? (
        <SuccessNotice onDismiss={() => setCreated(null)}>
          Partner <span className="font-mono font-semibold">{created}</span> created. It has no API key yet.{" "}
          <Button size="sm" variant="secondary" className="ml-2" onClick={() => onShowKeys(created)}>
            Create its first key
          </Button>
        </SuccessNotice>
      ) : null}
      <Card aria-labelledby="partners-heading">
        <CardHeader
          id="partners-heading"
          title="Partners"
          description={
            <span className="block max-w-2xl">
              Channels that book through the partner API. Deactivating a partner refuses every one of its keys at once.
            </span>
          }
          actions={<Button onClick={() => setCreating(true)}>New partner</Button>}
        />
        {partners.length === 0 ? (
          <EmptyState
            className="m-4"
            title="No partners yet"
            description="Add the marketplaces, phone desks and websites that book units, then give each an API key."
          />
        ) : (
          <Table caption="Partners">
            <THead>
              <Tr>
                <Th>Code</Th>
                <Th>Name</Th>
                <Th>Kind</Th>
                <Th numeric>Hold TTL</Th>
                <Th>Status</Th>
                <Th>API keys</Th>
                <Th>Created</Th>
                <Th className="text-right">
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {partners.map((partner) => {
                const revoked = partner.keys.length - partner.activeKeyCount;
                return (
                  <Tr key={partner.id} data-testid="partner-row" data-partner={partner.code} className="hover:bg-slate-50">
                    <Td className="font-mono font-semibold whitespace-nowrap text-slate-900">{partner.code}</Td>
                    <Td>{partner.name}</Td>
                    <Td className="whitespace-nowrap">{partnerKindLabel(partner.kind)}</Td>
                    <Td numeric>{formatDuration(partner.holdTtlSeconds)}</Td>
                    <Td>{partner.active ? <Badge tone="success">Active</Badge> : <Badge tone="warning">Inactive</Badge>}</Td>
                    <Td className="whitespace-nowrap">
                      <a
                        href={adminHref("keys", partner.code)}
                        onClick={(event) => {
                          if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
                          event.preventDefault();
                          onShowKeys(partner.code);
                        }}
                        className={cx("rounded-sm font-medium text-indigo-800 hover:underline", focusRing)}
                      >
                        {partner.activeKeyCount} active
                        <span className="sr-only"> keys of {partner.code}</span>
                      </a>
                      {revoked > 0 ? <span className="ml-1.5 text-xs text-slate-600">· {revoked} revoked</span> : null}
                    </Td>
                    <Td>
                      <DateTime value={partner.createdAt} />
                    </Td>
                    <Td className="text-right whitespace-nowrap">
                      <div className="flex justify-end gap-1.5">
                        <Button size="sm" variant="secondary" onClick={() => setEditing(partner)}>
                          Edit<span className="sr-only"> {partner.code}</span>
                        </Button>
                        <Button size="sm" variant={partner.active ? "ghost" : "secondary"} onClick={() => setToggling(partner)}>
                          {partner.active ? "Deactivate" : "Activate"}
                          <span className="sr-only"> {partner.code}</span>
                        </Button>
                      </div>
                    </Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        )}
      </Card>

      {creating ? (
        <CreatePartnerDialog
          kinds={options.partnerKinds}
          onClose={() => setCreating(false)}
          onCreated={(code) => {
            setCreating(false);
            setCreated(code);
          }}
        />
      ) : null}
      {editing ? <EditPartnerDialog partner={editing} onClose={() => setEditing(null)} /> : null}
      {toggling ? <PartnerActiveDialog partner={toggling} onClose={() => setToggling(null)} /> : null}
    </>
  );
}
