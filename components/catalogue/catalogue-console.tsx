"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useState } from "react";
import { useUrlState } from "@/components/ui/use-url-state";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { EmptyState } from "@/components/ui/empty-state";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { RowAction, RowActions, Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { FIRST_PAGE } from "@/components/inventory/board-filters";
import { RecentImports } from "./imports/recent-imports";
import { formatRate, type CatalogueFacility, type CatalogueUnit, type CatalogueUnitType } from "./catalogue-data";
import { CatalogueUnits } from "./catalogue-units";
import { FacilityDialog } from "./facility-dialog";
import { CreateUnitTypeDialog, RateDialog } from "./unit-type-dialogs";
import { RetireUnitDialog, RetypeUnitDialog } from "./unit-dialogs";

type Dialog =
  | { kind: "facility"; facility: CatalogueFacility | null }
  | { kind: "unit-type" }
  | { kind: "rate"; unitType: CatalogueUnitType }
  | { kind: "retire"; unit: CatalogueUnit }
  | { kind: "retype"; unit: CatalogueUnit };

/**
 * Facilities, unit types, rates and units (docs/domain.md#catalogue). Everyone with the
 * inventory reads it (a site manager their own facilities); ops leads and admins
 * (`canManage`) change it. The facility shown and its units' filters and page are in the
 * URL; the units come a page at a time (docs/performance.md#catalogue).
 */
export function CatalogueConsole({ canManage, emptyHint }: { canManage: boolean; emptyHint: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.catalogue.list.queryOptions());
  // the facility shown is in the URL (?facility=), so a link can come back to it
  const { params, update } = useUrlState();
  const selected = params.facility ?? null;
  // another facility starts unfiltered, on its first page of units
  const setSelected = (code: string) => update({ facility: code, type: null, status: null, floor: null, code: null, ...FIRST_PAGE });
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const close = () => setDialog(null);

  if (query.isPending) return <CatalogueSkeleton />;
  if (query.isError && !query.data) return <QueryErrorState title="The catalogue could not be loaded" query={query} />;

  const facilities = query.data;
  const facility = facilities.find((f) => f.code === selected) ?? facilities[0] ?? null;

  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]">
      <nav aria-label="Facilities" className="space-y-2">
        {canManage ? (
          <Button className="w-full" onClick={() => setDialog({ kind: "facility", facility: null })}>
            New facility
          </Button>
        ) : null}
        <ul className="space-y-1">
          {facilities.map((f) => (
            <li key={f.code}>
              <button
                type="button"
                aria-current={f.code === facility?.code ? "true" : undefined}
                onClick={() => setSelected(f.code)}
                className={cx(
                  "w-full rounded-md px-3 py-2 text-left text-sm",
                  f.code === facility?.code ? "bg-indigo-50 font-semibold text-indigo-900" : "text-slate-800 hover:bg-slate-100",
                  focusRing,
                )}
              >
                <span className="font-mono">{f.code}</span> <span className="text-slate-600">{f.name}</span>
              </button>
            </li>
          ))}
        </ul>
      </nav>

      {facility ? (
        <FacilityCatalogue facility={facility} canManage={canManage} onDialog={setDialog} />
      ) : (
        <EmptyState
          title="No facilities yet"
          description={canManage ? "Create the first facility, then its unit types and units." : emptyHint}
          action={canManage ? <Button onClick={() => setDialog({ kind: "facility", facility: null })}>New facility</Button> : undefined}
        />
      )}

      {dialog?.kind === "facility" ? (
        <FacilityDialog
          facility={dialog.facility}
          onClose={close}
          onSaved={(code) => {
            setSelected(code);
            close();
          }}
        />
      ) : null}
      {dialog?.kind === "unit-type" && facility ? <CreateUnitTypeDialog facility={facility} onClose={close} onSaved={close} /> : null}
      {dialog?.kind === "rate" && facility ? <RateDialog facility={facility} unitType={dialog.unitType} onClose={close} /> : null}
      {dialog?.kind === "retire" && facility ? <RetireUnitDialog facility={facility} unit={dialog.unit} onClose={close} /> : null}
      {dialog?.kind === "retype" && facility ? <RetypeUnitDialog facility={facility} unit={dialog.unit} onClose={close} /> : null}
    </div>
  );
}

function FacilityCatalogue({ facility, canManage, onDialog }: { facility: CatalogueFacility; canManage: boolean; onDialog: (d: Dialog) => void }) {
  return (
    // min-w-0: a wide table scrolls inside its card instead of widening the page's grid column
    <div className="min-w-0 space-y-6">
      <Card aria-labelledby="facility-heading">
        <CardHeader
          id="facility-heading"
          title={
            <>
              <span className="font-mono">{facility.code}</span> · {facility.name}
            </>
          }
          description={
            <span className="block">
              {facility.address.line1}, {facility.address.city} {facility.address.postalCode}, {facility.address.country} · {facility.timezone} ·{" "}
              {facility.currency} · Access {facility.accessHours}
              {facility.previousCodes.length ? <> · Formerly {facility.previousCodes.join(", ")}</> : null}
            </span>
          }
          actions={
            <div className="flex gap-2">
              <Link href={`/inventory/${encodeURIComponent(facility.code)}`} className="text-sm text-indigo-800 underline">
                Inventory board
              </Link>
              {canManage ? (
                <Button variant="secondary" size="sm" onClick={() => onDialog({ kind: "facility", facility })}>
                  Edit facility
                </Button>
              ) : null}
            </div>
          }
        />
      </Card>

      <Card aria-labelledby="unit-types-heading">
        <CardHeader
          id="unit-types-heading"
          title="Unit types"
          description="Rates are monthly; a change has an effective date, and bookings keep the rate they were made at."
          actions={canManage ? <Button size="sm" onClick={() => onDialog({ kind: "unit-type" })}>Add unit type</Button> : undefined}
        />
        {facility.unitTypes.length ? (
          <Table caption={`Unit types at ${facility.code}`}>
            <TableHeader
              columns={["Code", "Name", "Size", "Climate", "Features", { label: "Rate now", numeric: true }, "Scheduled", { label: "Units", numeric: true }]}
              actions={canManage ? "Actions" : undefined}
            />
            <TBody>
              {facility.unitTypes.map((t) => (
                <Tr key={t.code}>
                  <Td className="font-mono">
                    {t.code}
                    {t.previousCodes.length ? <span className="block text-xs text-slate-600">was {t.previousCodes.join(", ")}</span> : null}
                  </Td>
                  <Td>{t.name}</Td>
                  <Td>
                    <span className="whitespace-nowrap">
                      {t.widthFt} × {t.depthFt} ft
                    </span>
                    <span className="block whitespace-nowrap text-xs text-slate-600">{t.areaSqFt} sq ft</span>
                  </Td>
                  <Td>{t.climateControlled ? <Badge tone="info">Climate</Badge> : "—"}</Td>
                  <Td>{t.features.length ? t.features.join(", ") : "—"}</Td>
                  <Td numeric className="whitespace-nowrap">
                    {formatRate(t.monthlyRateCents, facility.currency)}
                  </Td>
                  <Td>
                    {t.scheduledRates.length
                      ? t.scheduledRates.map((r) => `${formatRate(r.monthlyRateCents, facility.currency)} from ${r.effectiveFrom}`).join("; ")
                      : "—"}
                  </Td>
                  <Td numeric>{t.pool.total}</Td>
                  {canManage ? (
                    // RowActions is the cell itself (a td in a td is invalid and left the buttons unaligned)
                    <RowActions>
                      <RowAction subject={t.code} onClick={() => onDialog({ kind: "rate", unitType: t })}>
                        Change rate
                      </RowAction>
                    </RowActions>
                  ) : null}
                </Tr>
              ))}
            </TBody>
          </Table>
        ) : (
          <EmptyState title="No unit types" description="A unit type is a size of unit with its rate; each has its own inventory pool." />
        )}
      </Card>

      {canManage ? <RecentImports facilityCode={facility.code} timeZone={facility.timezone} /> : null}

      <CatalogueUnits
        // a new facility starts with its own units' state (nothing of the last one's kept)
        key={facility.code}
        facility={facility}
        canManage={canManage}
        onRetire={(unit) => onDialog({ kind: "retire", unit })}
        onRetype={(unit) => onDialog({ kind: "retype", unit })}
      />
    </div>
  );
}

export function CatalogueSkeleton() {
  return (
    <div className="grid gap-6 lg:grid-cols-[16rem_1fr]" aria-busy="true" aria-label="Loading the catalogue">
      <div className="space-y-2">
        <Skeleton className="h-9" />
        <Skeleton className="h-9" />
      </div>
      <div className="space-y-6">
        <Skeleton className="h-24" />
        <Skeleton className="h-48" />
      </div>
    </div>
  );
}
