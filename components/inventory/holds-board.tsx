"use client";

import Link from "next/link";
import { useCallback, useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { Badge } from "@/components/ui/badge";
import { Panel } from "@/components/ui/card";
import { Countdown } from "@/components/ui/countdown";
import { CopyButton } from "@/components/ui/copy-button";
import { FormDialog } from "@/components/ui/dialog";
import { EmptyState } from "@/components/ui/empty-state";
import { ErrorState } from "@/components/ui/error-state";
import { ExportCsvButton } from "@/components/ui/export-csv-button";
import { TextField } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { RowAction, RowActions, Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { ZonedTime } from "@/components/ui/zoned-time";
import type { CsvColumn } from "@/components/ui/csv";
import { describeError } from "@/components/trpc/errors";
import { releaseHoldAction } from "@/server/actions/inventory";
import { useInventoryAction, type ActiveHold } from "./inventory-data";

const HOLD_CSV: readonly CsvColumn<ActiveHold>[] = [
  { header: "reference", value: (h) => h.reference },
  { header: "unit_code", value: (h) => h.unitCode },
  { header: "unit_type_code", value: (h) => h.unitTypeCode },
  { header: "partner_code", value: (h) => h.partnerCode },
  { header: "partner_booking_reference", value: (h) => h.partnerBookingReference },
  { header: "customer_name", value: (h) => h.customerName },
  { header: "move_in_date", value: (h) => h.moveInDate },
  { header: "created_at", value: (h) => h.createdAt },
  { header: "hold_expires_at", value: (h) => h.holdExpiresAt },
  { header: "idempotency_key", value: (h) => h.idempotencyKey },
  { header: "correlation_id", value: (h) => h.correlationId },
  { header: "inventory_version", value: (h) => h.inventoryVersion },
];

export interface HoldsQueryState {
  holds: ActiveHold[] | undefined;
  pending: boolean;
  error: unknown;
  refetch: () => Promise<readonly ActiveHold[]>;
  retrying: boolean;
}

/**
 * The live holds board: each active hold with its countdown, partner, idempotency key and
 * the inventory_version it was taken at; release-with-reason for roles that may cancel.
 */
export function HoldsBoard({
  facilityCode,
  timezone,
  canRelease,
  query,
  onReleased,
}: {
  facilityCode: string;
  timezone: string;
  canRelease: boolean;
  query: HoldsQueryState;
  onReleased: (message: string) => void;
}) {
  const [releasing, setReleasing] = useState<ActiveHold | null>(null);
  const holds = query.holds;
  return (
    <Panel
      headingId="holds-heading"
      title={
        <span className="flex items-center gap-2">
          Live holds
          {holds ? <Badge tone={holds.length ? "warning" : "neutral"}>{holds.length}</Badge> : null}
        </span>
      }
      description="Tentative bookings whose hold has not expired yet, soonest expiry first. A hold that reaches 0:00 is released by the expiry job."
      actions={<ExportCsvButton list={`holds-${facilityCode}`} columns={HOLD_CSV} fetchRows={query.refetch} />}
    >
      {query.pending ? (
        <div className="space-y-2 p-4" role="status">
          <span className="sr-only">Loading holds…</span>
          <Skeleton className="h-8 w-full" />
          <Skeleton className="h-8 w-full" />
        </div>
      ) : !holds ? (
        <div className="p-4">
          <ErrorState title="Holds could not be loaded" message={describeError(query.error).message} onRetry={() => void query.refetch()} retrying={query.retrying} />
        </div>
      ) : holds.length === 0 ? (
        <EmptyState className="m-4" title="No active holds" description="When a partner holds a unit here it appears at once, with its countdown." />
      ) : (
        // relative: screen-reader-only text in the rows stays inside the table's horizontal scroll.
        <Table caption={`Active holds at ${facilityCode}`} data-testid="holds-table" className="relative">
          <TableHeader
            columns={["Booking", "Unit", "Partner · customer", "Held / expires", { label: "Left", numeric: true }, "Idempotency key", { label: "Version", numeric: true }]}
            actions={canRelease ? "Actions" : undefined}
          />
          <TBody>
            {holds.map((hold) => (
              <Tr key={hold.reference} data-testid="hold-row" data-reference={hold.reference} className="hover:bg-slate-50">
                <Td className="whitespace-nowrap">
                  <Link href={`/bookings/${encodeURIComponent(hold.reference)}`} className="font-mono font-medium text-indigo-800 hover:underline">
                    {hold.reference}
                  </Link>
                  <span className="block text-xs text-slate-600">{hold.partnerBookingReference}</span>
                </Td>
                <Td className="whitespace-nowrap">
                  <span className="font-mono">{hold.unitCode}</span>
                  <span className="block text-xs text-slate-600">{hold.unitTypeCode}</span>
                </Td>
                <Td>
                  <span className="block font-medium">{hold.partnerCode}</span>
                  <span className="block max-w-44 truncate text-xs text-slate-600" title={hold.customerName}>
                    {hold.customerName}
                  </span>
                </Td>
                <Td className="text-xs">
                  <span className="block text-slate-600">
                    <ZonedTime value={hold.createdAt} timeZone={timezone} withSeconds />
                  </span>
                  <span className="block font-medium text-slate-900">
                    <ZonedTime value={hold.holdExpiresAt} timeZone={timezone} withSeconds />
                  </span>
                </Td>
                <Td numeric className="font-mono font-semibold text-amber-900">
                  <Countdown until={hold.holdExpiresAt} expiredLabel="expired" />
                </Td>
                <Td>
                  {hold.idempotencyKey ? (
                    <span className="flex items-center gap-1.5">
                      <code className="max-w-36 truncate font-mono text-xs" title={hold.idempotencyKey}>
                        {hold.idempotencyKey}
                      </code>
                      <CopyButton value={hold.idempotencyKey} label="Copy" className="h-6 px-2 text-xs" />
                    </span>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </Td>
                <Td numeric className="font-mono text-xs">
                  v{hold.inventoryVersion}
                </Td>
                {canRelease ? (
                  <RowActions>
                    <RowAction subject={hold.reference} onClick={() => setReleasing(hold)}>
                      Release…
                    </RowAction>
                  </RowActions>
                ) : null}
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
      {releasing ? (
        <ReleaseHoldDialog
          hold={releasing}
          onClose={() => setReleasing(null)}
          onDone={(message) => {
            setReleasing(null);
            onReleased(message);
          }}
        />
      ) : null}
    </Panel>
  );
}

function ReleaseHoldDialog({ hold, onClose, onDone }: { hold: ActiveHold; onClose: () => void; onDone: (message: string) => void }) {
  const id = useId();
  const [reason, setReason] = useState("");
  const done = useCallback(
    (data: { reference: string; unitCode: string; released: boolean; status: string }) =>
      onDone(
        data.released
          ? `Released hold ${data.reference}: unit ${data.unitCode} is available again.`
          : `${data.reference} was no longer held (${data.status.toLowerCase()}); nothing changed.`,
      ),
    [onDone],
  );
  const action = useInventoryAction(releaseHoldAction, done);
  const reasonError = errorAt(action.failure, "reason");
  return (
    <FormDialog
      onClose={onClose}
      title={
        <>
          Release hold <span className="font-mono">{hold.reference}</span>
        </>
      }
      description={`Cancels the hold on unit ${hold.unitCode} for ${hold.partnerCode}; the unit becomes available and the partner receives booking.cancelled.`}
      onSubmit={() => void action.run({ reference: hold.reference, reason })}
      submitLabel="Release hold"
      tone="danger"
      cancelLabel="Keep hold"
      pendingLabel="Releasing…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["reason"]} />}
      data-testid="release-dialog"
    >
      <TextField
        id={`${id}-reason`}
        label="Reason"
        hint="Recorded on the booking and in the audit log, and sent to the partner."
        error={reasonError}
        value={reason}
        onChange={(e) => {
          setReason(e.target.value);
          if (action.failure) action.reset();
        }}
        maxLength={500}
        autoComplete="off"
        data-autofocus
      />
    </FormDialog>
  );
}
