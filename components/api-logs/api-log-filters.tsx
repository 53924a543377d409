"use client";

import { useId, useState, type FormEvent } from "react";
import { fromUtcInput, toUtcInput } from "@/components/audit/audit-filters";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/form";
import { METHODS, SOURCE_LABELS, SOURCES, STATUS_CLASSES, type ApiLogFilterKey } from "./api-log-params";

/** A text box's value, following the URL when it changes from elsewhere (back button, "Clear all"). */
function useUrlText(urlValue: string) {
  const [value, setValue] = useState(urlValue);
  const [seen, setSeen] = useState(urlValue);
  if (seen !== urlValue) {
    setSeen(urlValue);
    setValue(urlValue);
  }
  return [value, setValue] as const;
}

const TEXT_FIELDS = [
  { key: "bookingReference", label: "Booking reference", placeholder: "BK-7F3K2Q", width: "w-40", upper: true },
  { key: "idempotencyKey", label: "Idempotency key", placeholder: "as the partner sent it", width: "w-56", upper: false },
  { key: "correlationId", label: "Correlation id", placeholder: "", width: "w-56", upper: false },
  { key: "partner", label: "Partner", placeholder: "MARKETPLACE", width: "w-36", upper: true },
  { key: "keyPrefix", label: "Key prefix", placeholder: "hf_live_ab12", width: "w-36", upper: false },
  { key: "route", label: "Route", placeholder: "/api/v1/bookings/{reference}/confirm", width: "w-72", upper: false },
  { key: "code", label: "Problem code", placeholder: "HOLD_EXPIRED", width: "w-44", upper: true },
  { key: "status", label: "Status", placeholder: "409", width: "w-20", upper: false },
  { key: "facility", label: "Facility", placeholder: "LON-01", width: "w-28", upper: true },
] as const satisfies readonly { key: ApiLogFilterKey; label: string; placeholder: string; width: string; upper: boolean }[];

type TextKey = (typeof TEXT_FIELDS)[number]["key"];

/** The typed fields' values, following the URL when it changes from elsewhere. */
function useUrlTexts(params: Record<string, string>) {
  const fromUrl = Object.fromEntries(TEXT_FIELDS.map((f) => [f.key, params[f.key] ?? ""])) as Record<TextKey, string>;
  const [value, setValue] = useState(fromUrl);
  const [seen, setSeen] = useState(JSON.stringify(fromUrl));
  if (seen !== JSON.stringify(fromUrl)) {
    setSeen(JSON.stringify(fromUrl));
    setValue(fromUrl);
  }
  return [value, setValue] as const;
}

/**
 * The request log's filter bar. Choices apply at once; typed fields apply with Enter or
 * "Apply". Everything is written to the URL (the list reads it from there).
 */
export function ApiLogFilters({
  params,
  onChange,
}: {
  params: Record<string, string>;
  onChange: (patch: Partial<Record<ApiLogFilterKey, string | null>>) => void;
}) {
  const id = useId();
  const [texts, setTexts] = useUrlTexts(params);
  const [from, setFrom] = useUrlText(toUtcInput(params.from));
  const [to, setTo] = useUrlText(toUtcInput(params.to));

  function apply(event?: FormEvent) {
    event?.preventDefault();
    const patch: Partial<Record<ApiLogFilterKey, string | null>> = { from: fromUtcInput(from), to: fromUtcInput(to) };
    for (const field of TEXT_FIELDS) {
      const value = texts[field.key].trim();
      patch[field.key] = value ? (field.upper ? value.toUpperCase() : value) : null;
    }
    onChange(patch);
  }

  const label = "block text-xs font-medium text-slate-700";
  return (
    <form onSubmit={apply} className="space-y-3 border-b border-slate-200 px-4 py-3" role="search" aria-label="Filter the request log">
      <div className="flex flex-wrap items-end gap-3">
        {TEXT_FIELDS.map((field, index) => (
          <div key={field.key} className={field.width}>
            <label htmlFor={`${id}-${field.key}`} className={label}>
              {field.label}
            </label>
            <Input
              id={`${id}-${field.key}`}
              value={texts[field.key]}
              onChange={(e) => setTexts({ ...texts, [field.key]: e.target.value })}
              placeholder={field.placeholder}
              inputMode={field.key === "status" ? "numeric" : undefined}
              className={field.upper || field.key !== "route" ? "mt-1 font-mono" : "mt-1"}
              {...(index === 0 ? { "data-shortcut": "search", "aria-keyshortcuts": "/" } : {})}
            />
          </div>
        ))}
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div>
          <label htmlFor={`${id}-method`} className={label}>
            Method
          </label>
          <Select id={`${id}-method`} className="mt-1 w-32" value={params.method ?? ""} onChange={(e) => onChange({ method: e.target.value || null })}>
            <option value="">Any method</option>
            {METHODS.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor={`${id}-class`} className={label}>
            Status class
          </label>
          <Select id={`${id}-class`} className="mt-1 w-32" value={params.statusClass ?? ""} onChange={(e) => onChange({ statusClass: e.target.value || null })}>
            <option value="">Any status</option>
            {STATUS_CLASSES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor={`${id}-source`} className={label}>
            Source
          </label>
          <Select id={`${id}-source`} className="mt-1 w-40" value={params.source ?? ""} onChange={(e) => onChange({ source: e.target.value || null })}>
            <option value="">Any source</option>
            {SOURCES.map((s) => (
              <option key={s} value={s}>
                {SOURCE_LABELS[s]}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor={`${id}-from`} className={label}>
            From (UTC)
          </label>
          <Input id={`${id}-from`} type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} className="mt-1 w-48" />
        </div>
        <div>
          <label htmlFor={`${id}-to`} className={label}>
            To (UTC)
          </label>
          <Input id={`${id}-to`} type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} className="mt-1 w-48" />
        </div>
        <div className="ml-auto flex items-center gap-2">
          <Button type="submit" size="sm">
            Apply
          </Button>
        </div>
      </div>
    </form>
  );
}
