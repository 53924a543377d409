"use client";

import { useId, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Input, Select } from "@/components/ui/form";
import { ACTOR_TYPE_LABELS, ACTOR_TYPES, RESULT_LABELS, RESULTS, targetTypeLabel, type FilterKey } from "./audit-format";

export interface AuditFacets {
  actions: string[];
  targetTypes: string[];
}

/** A text box's value, following the URL when it changes from elsewhere (back button, "Clear"). */
function useUrlText(urlValue: string) {
  const [value, setValue] = useState(urlValue);
  const [seen, setSeen] = useState(urlValue);
  if (seen !== urlValue) {
    setSeen(urlValue);
    setValue(urlValue);
  }
  return [value, setValue] as const;
}

/** "2026-11-21T07:46:00.000Z" → "2026-11-21T07:46" for a datetime-local box showing UTC. */
export function toUtcInput(iso: string | undefined): string {
  return iso ? iso.slice(0, 16) : "";
}

/** A datetime-local value read as UTC → ISO; "" → null. */
export function fromUtcInput(value: string): string | null {
  if (!value) return null;
  const time = Date.parse(`${value}:00Z`);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}

/** The area prefixes ("booking.*") of the recorded actions, for filtering a whole area. */
function actionAreas(actions: readonly string[]): string[] {
  return [...new Set(actions.filter((a) => a.includes(".")).map((a) => `${a.slice(0, a.indexOf("."))}.*`))].sort();
}

const PRESETS = [
  { label: "Last hour", ms: 3_600_000 },
  { label: "24 h", ms: 86_400_000 },
  { label: "7 days", ms: 7 * 86_400_000 },
] as const;

/**
 * The audit filter bar. Choices apply at once; typed fields apply with Enter or
 * "Apply". Everything is written to the URL (the list reads it from there).
 */
export function AuditFilters({
  params,
  onChange,
  facets,
}: {
  params: Record<string, string>;
  onChange: (patch: Partial<Record<FilterKey, string | null>>) => void;
  facets: AuditFacets | undefined;
}) {
  const id = useId();
  const [q, setQ] = useUrlText(params.q ?? "");
  const [actor, setActor] = useUrlText(params.actor ?? "");
  const [targetId, setTargetId] = useUrlText(params.targetId ?? "");
  const [facility, setFacility] = useUrlText(params.facility ?? "");
  const [correlationId, setCorrelationId] = useUrlText(params.correlationId ?? "");
  const [from, setFrom] = useUrlText(toUtcInput(params.from));
  const [to, setTo] = useUrlText(toUtcInput(params.to));

  function apply(event?: FormEvent) {
    event?.preventDefault();
    onChange({
      q: q.trim() || null,
      actor: actor.trim() || null,
      targetId: targetId.trim() || null,
      facility: facility.trim().toUpperCase() || null,
      correlationId: correlationId.trim() || null,
      from: fromUtcInput(from),
      to: fromUtcInput(to),
    });
  }

  const actions = facets?.actions ?? [];
  const currentAction = params.action ?? "";
  const actionChoices = [...new Set([...actionAreas(actions), ...actions, ...(currentAction ? [currentAction] : [])])];
  const targetTypes = [...new Set([...(facets?.targetTypes ?? []), ...(params.targetType ? [params.targetType] : [])])];
  const label = "block text-xs font-medium text-slate-700";

  return (
    <form onSubmit={apply} className="space-y-3 border-b border-slate-200 px-4 py-3" role="search" aria-label="Filter the audit log">
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-64 flex-1">
          <label htmlFor={`${id}-q`} className={label}>
            Search
          </label>
          <Input
            id={`${id}-q`}
            type="search"
            value={q}
            onChange={(e) => setQ(e.target.value)}
            placeholder="Actor email or code, target id, correlation id…"
            data-shortcut="search"
            aria-keyshortcuts="/"
            className="mt-1"
          />
        </div>
        <div>
          <label htmlFor={`${id}-result`} className={label}>
            Result
          </label>
          <Select id={`${id}-result`} className="mt-1 w-36" value={params.result ?? ""} onChange={(e) => onChange({ result: e.target.value || null })}>
            <option value="">Any result</option>
            {RESULTS.map((r) => (
              <option key={r} value={r}>
                {RESULT_LABELS[r]}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor={`${id}-actor-type`} className={label}>
            Actor type
          </label>
          <Select
            id={`${id}-actor-type`}
            className="mt-1 w-40"
            value={params.actorType ?? ""}
            onChange={(e) => onChange({ actorType: e.target.value || null })}
          >
            <option value="">Any actor</option>
            {ACTOR_TYPES.map((t) => (
              <option key={t} value={t}>
                {ACTOR_TYPE_LABELS[t]}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor={`${id}-action`} className={label}>
            Action
          </label>
          <Select id={`${id}-action`} className="mt-1 w-52" value={currentAction} onChange={(e) => onChange({ action: e.target.value || null })}>
            <option value="">Any action</option>
            {actionChoices.map((a) => (
              <option key={a} value={a}>
                {a.endsWith(".*") ? `${a.slice(0, -2)} — all` : a}
              </option>
            ))}
          </Select>
        </div>
        <div>
          <label htmlFor={`${id}-target-type`} className={label}>
            Target type
          </label>
          <Select
            id={`${id}-target-type`}
            className="mt-1 w-40"
            value={params.targetType ?? ""}
            onChange={(e) => onChange({ targetType: e.target.value || null })}
          >
            <option value="">Any target</option>
            {targetTypes.map((t) => (
              <option key={t} value={t}>
                {targetTypeLabel(t)}
              </option>
            ))}
          </Select>
        </div>
      </div>
      <div className="flex flex-wrap items-end gap-3">
        <div className="w-52">
          <label htmlFor={`${id}-actor`} className={label}>
            Actor
          </label>
          <Input id={`${id}-actor`} value={actor} onChange={(e) => setActor(e.target.value)} placeholder="email, partner code, job" className="mt-1" />
        </div>
        <div className="w-52">
          <label htmlFor={`${id}-target-id`} className={label}>
            Target id
          </label>
          <Input
            id={`${id}-target-id`}
            value={targetId}
            onChange={(e) => setTargetId(e.target.value)}
            placeholder="BK-7F3K2Q, ep_…, a permission"
            className="mt-1"
          />
        </div>
        <div className="w-28">
          <label htmlFor={`${id}-facility`} className={label}>
            Facility
          </label>
          <Input id={`${id}-facility`} value={facility} onChange={(e) => setFacility(e.target.value)} placeholder="LON-01" className="mt-1" />
        </div>
        <div className="w-56">
          <label htmlFor={`${id}-correlation`} className={label}>
            Correlation id
          </label>
          <Input id={`${id}-correlation`} value={correlationId} onChange={(e) => setCorrelationId(e.target.value)} className="mt-1 font-mono" />
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
        <div className="flex items-center gap-1" role="group" aria-label="Time presets">
          {PRESETS.map((preset) => (
            <Button
              key={preset.label}
              size="sm"
              variant="ghost"
              onClick={() => {
                const start = new Date(Math.floor((Date.now() - preset.ms) / 60_000) * 60_000);
                onChange({ from: start.toISOString(), to: null });
              }}
            >
              {preset.label}
            </Button>
          ))}
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
