"use client";

import { StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus";
import { RowAction, RowActions, Td, Tr } from "@/components/ui/table";
import { TablePanel } from "@/components/ui/table-panel";
import type { AdminOptions, AdminPartner } from "./admin-data";
import { DateTime } from "./date-time";
import { adminHref, formatDuration, partnerKindLabel } from "./format";
import { CreatePartnerDialog, EditPartnerDialog, PartnerActiveDialog } from "./partner-dialogs";
import { SuccessNotice } from "./success-notice";
import { useRowDialogs } from "./use-row-dialogs";

export interface PartnersPanelProps {
  partners: AdminPartner[];
  options: AdminOptions;
  onShowKeys: (partnerCode: string) => void;
}

/** Partners: the channels that book through the API, with their hold TTL and keys. */
export function PartnersPanel({ partners, options, onShowKeys }: PartnersPanelProps) {
  const { creating, startCreating, cancelCreating, finishCreating, created, dismissCreated, editing, setEditing, toggling, setToggling } =
    useRowDialogs<AdminPartner>();

  return (
    <>
      {created ? (
        <SuccessNotice onDismiss={dismissCreated}>
          Partner <span className="font-mono font-semibold">{created}</span> created. It has no API key yet.{" "}
          <Button size="sm" variant="secondary" className="ml-2" onClick={() => onShowKeys(created)}>
            Create its first key
          </Button>
        </SuccessNotice>
      ) : null}
      <TablePanel
        headingId="partners-heading"
        title="Partners"
        description="Channels that book through the partner API. Deactivating a partner refuses every one of its keys at once."
        actions={<Button onClick={startCreating}>New partner</Button>}
        rows={partners}
        caption="Partners"
        columns={["Code", "Name", "Kind", { label: "Hold TTL", numeric: true }, "Status", "API keys", "Created"]}
        actionsColumn="Actions"
        empty={
          <EmptyState
            className="m-4"
            title="No partners yet"
            description="Add the marketplaces, phone desks and websites that book units, then give each an API key."
          />
        }
        renderRow={(partner) => {
          const revoked = partner.keys.length - partner.activeKeyCount;
          return (
            <Tr key={partner.id} data-testid="partner-row" data-partner={partner.code} className="hover:bg-slate-50">
              <Td className="font-mono font-semibold whitespace-nowrap text-slate-900">{partner.code}</Td>
              <Td>
                {partner.name}
                {partner.technicalContactEmail ? (
                  <p className="text-xs text-slate-600">Technical contact: {partner.technicalContactEmail}</p>
                ) : null}
              </Td>
              <Td className="whitespace-nowrap">{partnerKindLabel(partner.kind)}</Td>
              <Td numeric>{formatDuration(partner.holdTtlSeconds)}</Td>
              <Td>
                <StatusBadge status={partner.active ? "active" : "inactive"} />
              </Td>
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
              <RowActions>
                <RowAction subject={partner.code} onClick={() => setEditing(partner)}>
                  Edit
                </RowAction>
                <RowAction subject={partner.code} variant={partner.active ? "ghost" : "secondary"} onClick={() => setToggling(partner)}>
                  {partner.active ? "Deactivate" : "Activate"}
                </RowAction>
              </RowActions>
            </Tr>
          );
        }}
      />

      {creating ? <CreatePartnerDialog kinds={options.partnerKinds} onClose={cancelCreating} onCreated={finishCreating} /> : null}
      {editing ? <EditPartnerDialog partner={editing} onClose={() => setEditing(null)} /> : null}
      {toggling ? <PartnerActiveDialog partner={toggling} onClose={() => setToggling(null)} /> : null}
    </>
  );
}
