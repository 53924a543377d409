"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { cx } from "@/components/ui/cx";
import { Field, Select, describedBy } from "@/components/ui/form";
import { focusRing } from "@/components/ui/focus";
import { Skeleton } from "@/components/ui/skeleton";
import { createImportAction } from "@/server/actions/catalogue";
import { IMPORT_TEMPLATE_CSV } from "./import-format";

/** Where a refusal of the file as a whole is reported: the upload's field, the domain's csv or units. */
const FILE_FIELDS = ["file", "csv", "units"] as const;

/**
 * The upload of a facility's units (docs/domain.md#catalogue-imports): a CSV or JSON file,
 * read at once — one that cannot be read is refused here, at the field — then planned as a
 * dry run; the import's page shows the diff and applies it.
 */
export function ImportUploadForm({ facilityCode }: { facilityCode: string | null }) {
  const id = useId();
  const router = useRouter();
  const trpc = useTRPC();
  const catalogue = useQuery(trpc.catalogue.list.queryOptions());
  const [facility, setFacility] = useState(facilityCode ?? "");
  const [file, setFile] = useState<File | null>(null);
  const [missingFile, setMissingFile] = useState(false);
  const action = useConsoleAction(createImportAction, { onSuccess: (data) => router.push(`/catalogue/imports/${encodeURIComponent(data.id)}`) });

  if (catalogue.isPending) {
    return (
      <div aria-busy="true" aria-label="Loading the facilities">
        <Skeleton className="h-64" />
      </div>
    );
  }
  if (catalogue.isError && !catalogue.data) return <QueryErrorState title="The facilities could not be loaded" query={catalogue} />;
  const facilities = catalogue.data;
  const selected = facilities.find((f) => f.code === facility) ?? facilities[0];
  const fileError = missingFile ? "Choose a CSV or JSON file." : FILE_FIELDS.map((path) => errorAt(action.failure, path)).find(Boolean);
  const fileId = `${id}-file`;
  const hintId = `${fileId}-hint`;

  return (
    <Card aria-labelledby={`${id}-heading`}>
      <CardHeader
        id={`${id}-heading`}
        title="Upload a file of units"
        description="Nothing changes yet: the file is compared with the facility's units first, and you apply the result from the next page."
      />
      <CardBody>
        <form
          aria-label="Import units"
          noValidate
          className="space-y-5"
          onSubmit={(e) => {
            e.preventDefault();
            if (!file) {
              setMissingFile(true);
              document.getElementById(fileId)?.focus();
              return;
            }
            setMissingFile(false);
            void action.run({ facility_code: selected?.code ?? facility, file }).then((result) => {
              if (!result.ok) document.getElementById(fileId)?.focus();
            });
          }}
        >
          <Field id={`${id}-facility`} label="Facility" error={errorAt(action.failure, "facility_code")} className="max-w-sm">
            <Select id={`${id}-facility`} value={selected?.code ?? ""} onChange={(e) => setFacility(e.target.value)}>
              {facilities.map((f) => (
                <option key={f.code} value={f.code}>
                  {f.code} — {f.name}
                </option>
              ))}
            </Select>
          </Field>

          <Field id={fileId} label="File (CSV or JSON)" error={fileError}>
            <input
              id={fileId}
              name="file"
              type="file"
              accept=".csv,.json,text/csv,application/json"
              autoFocus
              aria-invalid={fileError ? true : undefined}
              aria-describedby={cx(describedBy(fileId, undefined, fileError), hintId)}
              onChange={(e) => {
                setFile(e.target.files?.[0] ?? null);
                setMissingFile(false);
                action.reset();
              }}
              className={cx(
                "block w-full max-w-xl rounded-md border border-slate-300 bg-white text-sm text-slate-800 shadow-sm",
                "file:mr-3 file:h-9 file:border-0 file:border-r file:border-slate-300 file:bg-slate-50 file:px-3 file:text-sm file:font-medium file:text-slate-800",
                "aria-invalid:border-red-600 aria-invalid:ring-1 aria-invalid:ring-red-600",
                focusRing,
              )}
            />
          </Field>

          <div id={hintId} className="max-w-2xl space-y-2 text-sm text-slate-700">
            <p>
              One unit per line, under a header naming the columns <code className="font-mono">code,unit_type_code,floor,retired</code>:
            </p>
            <ul className="list-disc space-y-1 pl-5">
              <li>
                <code className="font-mono">code</code> — the unit&apos;s code; a code the facility has is changed, a new one is added.
              </li>
              <li>
                <code className="font-mono">unit_type_code</code> — one of {selected?.code ?? "the facility"}&apos;s unit types
                {selected?.unitTypes.length ? <> ({selected.unitTypes.map((t) => t.code).join(", ")})</> : null}.
              </li>
              <li>
                <code className="font-mono">floor</code> — a whole number, 0 when left out; <code className="font-mono">retired</code> — yes or no (no when left out).
              </li>
            </ul>
            <p>
              JSON: an array of objects with the same fields. Up to 100,000 rows. Units the file does not name are left as they are.{" "}
              <a
                href={`data:text/csv;charset=utf-8,${encodeURIComponent(IMPORT_TEMPLATE_CSV)}`}
                download="units-template.csv"
                className={cx("font-medium text-indigo-800 underline", focusRing)}
              >
                Download a template (CSV)
              </a>
            </p>
          </div>

          <div aria-live="polite">
            <ActionFailureAlert failure={action.failure} fields={[...FILE_FIELDS, "facility_code"]} />
          </div>

          <div className="flex items-center gap-3">
            <Button type="submit" disabled={action.pending} aria-busy={action.pending}>
              {action.pending ? "Reading the file…" : "Upload and preview"}
            </Button>
            <Link href={selected ? `/catalogue?${new URLSearchParams({ facility: selected.code })}` : "/catalogue"} className={cx("text-sm text-slate-700 underline", focusRing)}>
              Back to the catalogue
            </Link>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}
