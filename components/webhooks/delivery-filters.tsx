"use client";

import { useId, useState } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/form";
import { EVENT_TYPES } from "@/shared/event-types";
import { isoToLocalInput, localInputToIso, type DeliveryFilterValue } from "./filter-params";
import type { EndpointWithHealth } from "./webhooks-data";

/**
 * The delivery log's filter bar. Every change goes straight into the URL (the parent's
 * `onChange` patches the query string), so the view can be shared and survives a reload.
 */

const STATUS_OPTIONS = [
  { value: "", label: "Any status" },
  { value: "PENDING", label: "Pending" },
  { value: "RETRYING", label: "Retrying" },
  { value: "SUCCEEDED", label: "Delivered" },
  { value: "DEAD", label: "Dead" },
  { value: "RETRYING,DEAD", label: "Failed (retrying or dead)" },
] as const;

const CLASS_OPTIONS = [
  { value: "", label: "Any answer" },
  { value: "2xx", label: "2xx" },
  { value: "3xx", label: "3xx" },
  { value: "4xx", label: "4xx" },
  { value: "5xx", label: "5xx" },
  { value: "none", label: "No HTTP answer" },
] as const;

const RANGES = [
  { label: "Last hour", ms: 3_600_000 },
  { label: "24 h", ms: 86_400_000 },
  { label: "7 days", ms: 7 * 86_400_000 },
] as const;

export interface DeliveryFiltersProps {
  params: Record<string, string>;
  filter: DeliveryFilterValue;
  endpoints: readonly EndpointWithHealth[];
  onChange: (patch: Record<string, string | null>) => void;
  onClear: () => void;
  ignored: string[];
  /** leave out the endpoint and partner pickers (the endpoint page) */
  fixedEndpoint?: boolean;
}

export function DeliveryFilters({ params, filter, endpoints, onChange, onClear, ignored, fixedEndpoint = false }: DeliveryFiltersProps) {
  const ids = {
    status: useId(),
    klass: useId(),
    type: useId(),
    endpoint: useId(),
    partner: useId(),
    from: useId(),
    to: useId(),
    q: useId(),
  };
  const [q, setQ] = useState(params.q ?? "");
  // The URL can change under the box (back button, a shared link): follow it.
  const [seenQ, setSeenQ] = useState(params.q ?? "");
  if ((params.q ?? "") !== seenQ) {
    setSeenQ(params.q ?? "");
    setQ(params.q ?? "");
  }

  const partners = [...new Map(endpoints.map((e) => [e.partnerId, e.partnerCode])).entries()].sort((a, b) => a[1].localeCompare(b[1]));
  const statusValue = filter.status?.join(",") ?? "";

  return (
    <form
      role="search"
      aria-label="Filter deliveries"
      className="space-y-2 border-b border-slate-200 bg-slate-50 px-4 py-3"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ q: q.trim() || null });
      }}
    >
      <div className="flex flex-wrap items-end gap-2">
        <Labelled id={ids.q} label="Booking, event or correlation id" className="w-72">
          <Input id={ids.q} value={q} onChange={(e) => setQ(e.target.value)} onBlur={() => q.trim() !== (params.q ?? "") && onChange({ q: q.trim() || null })} placeholder="BK-7F3K2Q, evt_…, cor_…" />
        </Labelled>
        <Labelled id={ids.status} label="Status" className="w-52">
          <Select id={ids.status} value={STATUS_OPTIONS.some((o) => o.value === statusValue) ? statusValue : ""} onChange={(e) => onChange({ status: e.target.value || null })}>
            {STATUS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </Labelled>
        <Labelled id={ids.klass} label="Last HTTP answer" className="w-40">
          <Select id={ids.klass} value={filter.statusClass ?? ""} onChange={(e) => onChange({ class: e.target.value || null })}>
            {CLASS_OPTIONS.map((o) => (
              <option key={o.value} value={o.value}>
                {o.label}
              </option>
            ))}
          </Select>
        </Labelled>
        <Labelled id={ids.type} label="Event type" className="w-48">
          <Select id={ids.type} value={filter.eventType ?? ""} onChange={(e) => onChange({ type: e.target.value || null })}>
            <option value="">Any event</option>
            {EVENT_TYPES.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </Select>
        </Labelled>
        {fixedEndpoint ? null : (
          <>
            <Labelled id={ids.endpoint} label="Endpoint" className="w-60">
              <Select id={ids.endpoint} value={filter.endpointId ?? ""} onChange={(e) => onChange({ endpoint: e.target.value || null })}>
                <option value="">Any endpoint</option>
                {endpoints.map((e) => (
                  <option key={e.id} value={e.id}>
                    {e.partnerCode} · {e.description || e.url}
                  </option>
                ))}
              </Select>
            </Labelled>
            <Labelled id={ids.partner} label="Partner" className="w-40">
              <Select id={ids.partner} value={filter.partnerId ?? ""} onChange={(e) => onChange({ partner: e.target.value || null })}>
                <option value="">Any partner</option>
                {partners.map(([id, code]) => (
                  <option key={id} value={id}>
                    {code}
                  </option>
                ))}
              </Select>
            </Labelled>
          </>
        )}
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <Labelled id={ids.from} label="Created from (your time)" className="w-56">
          <Input id={ids.from} type="datetime-local" value={isoToLocalInput(filter.from)} onChange={(e) => onChange({ from: localInputToIso(e.target.value) })} />
        </Labelled>
        <Labelled id={ids.to} label="until" className="w-56">
          <Input id={ids.to} type="datetime-local" value={isoToLocalInput(filter.to)} onChange={(e) => onChange({ to: localInputToIso(e.target.value) })} />
        </Labelled>
        <div className="flex gap-1 pb-0.5">
          {RANGES.map((range) => (
            <Button key={range.label} size="sm" variant="ghost" onClick={() => onChange({ from: new Date(Date.now() - range.ms).toISOString(), to: null })}>
              {range.label}
            </Button>
          ))}
        </div>
        <div className="ml-auto flex gap-2 pb-0.5">
          <Button type="submit" size="sm" variant="secondary">
            Search
          </Button>
          <Button size="sm" variant="ghost" onClick={onClear}>
            Clear filters
          </Button>
        </div>
      </div>
      {ignored.length ? (
        <p className="text-xs text-amber-900" role="status">
          Ignored from the link: {ignored.join(", ")} (not a value this filter knows).
        </p>
      ) : null}
    </form>
  );
}

function Labelled({ id, label, className, children }: { id: string; label: string; className?: string; children: React.ReactNode }) {
  return (
    <div className={className}>
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-slate-700">
        {label}
      </label>
      {children}
    </div>
  );
}
