"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { failureSummary, useConsoleAction } from "@/components/actions/use-console-action";
import { useTRPC } from "@/components/trpc/client";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { CheckboxGroup, Field, Select, TextField } from "@/components/ui/form";
import { formatUtc } from "@/components/ui/time-format";
import { createOperationalEndpointAction, sendOperationalTestAction, setOperationalEndpointEnabledAction } from "@/server/actions/operational-webhooks";
import type { listOperationalEndpoints } from "@/server/domain/operational-webhooks/list-operational-webhooks";
import { SEVERITIES, type Severity } from "@/shared/alert-rules";
import { OPERATIONAL_EVENT_TYPES } from "@/shared/operational-webhooks";

/**
 * The operator's own webhook endpoints (docs/operations.md#operational-webhooks): add one
 * (its secret shown once, kept only in this component's state), disable or enable it,
 * send a test message, and read its delivery log with every attempt.
 */
export function OperationalWebhooksConsole() {
  const trpc = useTRPC();
  const endpoints = useQuery(trpc.operationalWebhooks.endpoints.queryOptions());
  const [selected, setSelected] = useState<string | null>(null);
  const current = selected ?? endpoints.data?.[0]?.id ?? null;
  return (
    <div className="space-y-6">
      <AddEndpoint onCreated={setSelected} />
      <Card aria-labelledby="ops-endpoints">
        <CardHeader id="ops-endpoints" title="Endpoints" description="Each is told of every incident state change it asks for, signed with its own secret." />
        <CardBody>
          {endpoints.data?.length ? (
            <ul className="divide-y divide-slate-200">
              {endpoints.data.map((e) => (
                <EndpointRow key={e.id} endpoint={e} selected={e.id === current} onSelect={() => setSelected(e.id)} />
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600">No operational endpoints yet.</p>
          )}
        </CardBody>
      </Card>
      {current ? <DeliveryLog endpointId={current} /> : null}
    </div>
  );
}

type EndpointItem = Awaited<ReturnType<typeof listOperationalEndpoints>>[number];

function useInvalidate() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.operationalWebhooks.pathKey() });
}

function AddEndpoint({ onCreated }: { onCreated: (id: string) => void }) {
  const invalidate = useInvalidate();
  const [form, setForm] = useState({ url: "", description: "", eventTypes: [] as string[], minSeverity: "LOW" as Severity });
  const [secret, setSecret] = useState<string | null>(null);
  const action = useConsoleAction(createOperationalEndpointAction, {
    onSuccess: async (data) => {
      setSecret(data.secret);
      setForm({ url: "", description: "", eventTypes: [], minSeverity: "LOW" });
      onCreated(data.id);
      await invalidate();
    },
  });
  return (
    <Card aria-labelledby="ops-add">
      <CardHeader id="ops-add" title="Add an endpoint" description="An https URL of yours: a pager, an incident tool, a chat bridge. Sent like partner webhooks, to public addresses only." />
      <CardBody className="space-y-4">
        {secret ? (
          <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm" data-testid="ops-secret">
            <p className="font-medium text-amber-900">Copy the signing secret now: it is not shown again.</p>
            <div className="mt-2 flex items-center gap-2">
              <code className="break-all font-mono text-xs">{secret}</code>
              <CopyButton value={secret} />
              <Button variant="ghost" size="sm" onClick={() => setSecret(null)}>
                Done
              </Button>
            </div>
          </div>
        ) : null}
        <form
          className="grid gap-4 md:grid-cols-2"
          onSubmit={(e) => {
            e.preventDefault();
            void action.run({ url: form.url, description: form.description, eventTypes: form.eventTypes as (typeof OPERATIONAL_EVENT_TYPES)[number][], minSeverity: form.minSeverity });
          }}
        >
          <TextField id="ops-url" label="URL" value={form.url} placeholder="https://ops.example.com/holdfast" error={errorAt(action.failure, "url")} onChange={(e) => setForm({ ...form, url: e.target.value })} required />
          <TextField id="ops-description" label="Description" optional value={form.description} onChange={(e) => setForm({ ...form, description: e.target.value })} />
          <Field id="ops-severity" label="Minimum severity" hint="Changes of incidents below it are not sent">
            <Select id="ops-severity" value={form.minSeverity} onChange={(e) => setForm({ ...form, minSeverity: e.target.value as Severity })}>
              {SEVERITIES.map((s) => (
                <option key={s} value={s}>
                  {s} and above
                </option>
              ))}
            </Select>
          </Field>
          <CheckboxGroup
            legend="Event types"
            hint="None chosen: every type"
            options={OPERATIONAL_EVENT_TYPES.map((t) => ({ value: t, id: `ops-type-${t}`, label: t }))}
            selected={form.eventTypes}
            onChange={(eventTypes) => setForm({ ...form, eventTypes })}
            gridClassName="grid grid-cols-2 gap-2"
          />
          <div className="md:col-span-2">
            <ActionFailureAlert failure={action.failure} fields={["url"]} />
            <Button type="submit" disabled={action.pending}>
              Add endpoint
            </Button>
          </div>
        </form>
      </CardBody>
    </Card>
  );
}

function EndpointRow({ endpoint, selected, onSelect }: { endpoint: EndpointItem; selected: boolean; onSelect: () => void }) {
  const invalidate = useInvalidate();
  const toggle = useConsoleAction(setOperationalEndpointEnabledAction, { onSuccess: invalidate });
  const [testResult, setTestResult] = useState<string | null>(null);
  const test = useConsoleAction(sendOperationalTestAction, {
    onSuccess: async (r) => {
      setTestResult(r.success ? `Test delivered: HTTP ${r.responseStatus} in ${r.durationMs} ms` : `Test failed: ${r.errorMessage ?? r.failureClass}`);
      await invalidate();
    },
  });
  return (
    <li className={`flex flex-wrap items-center justify-between gap-3 py-3 ${selected ? "bg-indigo-50/50" : ""}`} data-testid="ops-endpoint">
      <button type="button" className="min-w-0 text-left" onClick={onSelect}>
        <span className="block break-all font-mono text-sm text-slate-900">{endpoint.url}</span>
        <span className="block text-xs text-slate-600">
          {endpoint.description ? `${endpoint.description} · ` : ""}
          {endpoint.eventTypes.length ? endpoint.eventTypes.join(", ") : "every incident change"} · {endpoint.minSeverity} and above · {endpoint.delivered} delivered ·{" "}
          {endpoint.waiting} waiting · {endpoint.dead} dead
        </span>
        {testResult ? <span className="block text-xs font-medium text-slate-800" data-testid="ops-test-result">{testResult}</span> : null}
        {toggle.failure || test.failure ? <span className="block text-xs text-red-700">{failureSummary((toggle.failure ?? test.failure)!)}</span> : null}
      </button>
      <div className="flex items-center gap-2">
        <Badge tone={endpoint.enabled ? "success" : "neutral"}>{endpoint.enabled ? "Enabled" : "Disabled"}</Badge>
        <Button variant="secondary" size="sm" disabled={test.pending} onClick={() => void test.run({ endpointId: endpoint.id })}>
          Send test
        </Button>
        <Button variant="secondary" size="sm" disabled={toggle.pending} onClick={() => void toggle.run({ endpointId: endpoint.id, enabled: !endpoint.enabled })}>
          {endpoint.enabled ? "Disable" : "Enable"}
        </Button>
      </div>
    </li>
  );
}

const STATUS_TONE = { PENDING: "info", RETRYING: "warning", SUCCEEDED: "success", DEAD: "danger" } as const;

function DeliveryLog({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const deliveries = useQuery(trpc.operationalWebhooks.deliveries.queryOptions({ endpointId }));
  return (
    <Card aria-labelledby="ops-log">
      <CardHeader id="ops-log" title="Delivery log" description={<span className="font-mono">{endpointId}</span>} />
      <CardBody>
        {deliveries.data?.length ? (
          <ol className="space-y-3">
            {deliveries.data.map((d) => (
              <li key={d.id} className="rounded-md border border-slate-200 p-3" data-testid="ops-delivery">
                <div className="flex flex-wrap items-center gap-2 text-sm">
                  <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
                  <span className="font-medium">{d.eventType}</span>
                  {d.incidentId ? (
                    <a className="font-mono text-xs text-indigo-800 hover:underline" href={`/incidents/${d.incidentId}`}>
                      {d.incidentId}
                    </a>
                  ) : null}
                  <span className="font-mono text-xs text-slate-500">{d.id}</span>
                  <span className="text-xs text-slate-500">{formatUtc(d.createdAt)}</span>
                  {d.nextAttemptAt && (d.status === "PENDING" || d.status === "RETRYING") ? (
                    <span className="text-xs text-slate-600">next attempt {formatUtc(d.nextAttemptAt)}</span>
                  ) : null}
                </div>
                {d.attempts.length ? (
                  <table className="mt-2 w-full text-xs">
                    <thead className="text-left text-slate-500">
                      <tr>
                        <th className="font-medium">#</th>
                        <th className="font-medium">Trigger</th>
                        <th className="font-medium">Started</th>
                        <th className="font-medium">Result</th>
                        <th className="font-medium">Duration</th>
                      </tr>
                    </thead>
                    <tbody>
                      {d.attempts.map((a) => (
                        <tr key={a.id}>
                          <td>{a.attemptNumber}</td>
                          <td>{a.trigger}</td>
                          <td>{formatUtc(a.startedAt)}</td>
                          <td className={a.failureClass ? "text-red-700" : "text-emerald-700"}>
                            {a.responseStatus !== null ? `HTTP ${a.responseStatus}` : ""} {a.failureClass ? `${a.failureClass}${a.errorMessage && a.responseStatus === null ? `: ${a.errorMessage}` : ""}` : ""}
                          </td>
                          <td>{a.durationMs} ms</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                ) : (
                  <p className="mt-2 text-xs text-slate-600">Not attempted yet.</p>
                )}
              </li>
            ))}
          </ol>
        ) : (
          <p className="text-sm text-slate-600">Nothing sent to this endpoint yet. Send a test message to see one.</p>
        )}
      </CardBody>
    </Card>
  );
}
