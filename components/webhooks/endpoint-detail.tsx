"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useMemo, useState } from "react";
import { ActionFailureAlert, errorAt } from "@/components/actions/action-failure";
import { useConsoleAction } from "@/components/actions/use-console-action";
import { SuccessNotice } from "@/components/admin/success-notice";
import { Badge, StatusBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardBody, CardHeader, Panel } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { cx } from "@/components/ui/cx";
import { ConfirmDialog, Dialog, DialogBody, DialogFooter, FormDialog } from "@/components/ui/dialog";
import { CheckboxGroup, TextField } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { Table, TableHeader, TBody, Td, Tr } from "@/components/ui/table";
import { formatLatency } from "@/components/ui/time-format";
import { useUrlState } from "@/components/ui/use-url-state";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { disableEndpointAction, enableEndpointAction, rotateSecretAction, sendTestPingAction, updateEndpointAction } from "@/server/actions/webhooks";
import { EVENT_TYPES } from "@/shared/event-types";
import { ReplayWindowDialog, type StartedJob } from "./bulk-replay-dialog";
import { DeliveryFilters } from "./delivery-filters";
import { DeliveryLog } from "./delivery-log";
import { clearedFilterParams, filterFromParams } from "./filter-params";
import { FAILURE_CLASS_LABELS, formatCount, formatDuration, formatRate, rateTone } from "./format";
import { ReplayJobsPanel } from "./replay-jobs-panel";
import { useInvalidateWebhooks, WEBHOOKS_REFRESH_MS, type EndpointDetail, type WebhookActions } from "./webhooks-data";

type Dialogs = "edit" | "disable" | "enable" | "rotate" | "window" | null;

/**
 * /webhooks/endpoints/{id}: the endpoint's health, the inventory versions it has
 * acknowledged per pool against the current ones, its deliveries (filterable, in the
 * URL), test pings — and, for ops leads and admins, edit / disable / enable / rotate
 * secret / send test ping / replay a window.
 */
export function EndpointDetailView({ endpointId, actions }: { endpointId: string; actions: WebhookActions }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.webhooks.endpoint.queryOptions({ endpointId }, { refetchInterval: WEBHOOKS_REFRESH_MS }));
  const { params, update } = useUrlState();
  const parsed = useMemo(() => filterFromParams(params), [params]);
  const filter = useMemo(() => ({ ...parsed.filter, endpointId, partnerId: undefined }), [parsed.filter, endpointId]);
  const [dialog, setDialog] = useState<Dialogs>(null);
  const [notice, setNotice] = useState<string | null>(null);

  if (query.isPending) {
    return (
      <div className="space-y-4" aria-busy="true" aria-label="Loading the endpoint">
        <Skeleton className="h-32 w-full" />
        <Skeleton className="h-64 w-full" />
      </div>
    );
  }
  if (query.isError && !query.data) {
    return <QueryErrorState title="The endpoint could not be loaded" query={query} />;
  }
  const endpoint = query.data!;
  const disabled = endpoint.status === "DISABLED";

  return (
    <div className="space-y-6">
      {notice ? <SuccessNotice onDismiss={() => setNotice(null)}>{notice}</SuccessNotice> : null}
      <Card aria-labelledby="endpoint-heading">
        <CardHeader
          id="endpoint-heading"
          title={
            <span className="flex flex-wrap items-center gap-2">
              <span className="font-mono">{endpoint.partnerCode}</span>
              {disabled ? <StatusBadge status="disabled" /> : <StatusBadge status="active" />}
              {endpoint.throttledUntil ? <Badge tone="warning">Throttled</Badge> : null}
            </span>
          }
          description={
            <>
              <span className="block font-mono text-xs break-all">{endpoint.url}</span>
              {endpoint.description ? <span className="block">{endpoint.description}</span> : null}
              {disabled ? (
                <span className="mt-1 block font-medium text-red-800" data-testid="disabled-reason">
                  Disabled{endpoint.disabledAt ? " " : ""}
                  {endpoint.disabledAt ? <ZonedTime value={endpoint.disabledAt} /> : null}: {endpoint.disabledReason ?? "no reason recorded"}
                </span>
              ) : null}
            </>
          }
          actions={
            actions.manageEndpoints ? (
              <div className="flex flex-wrap justify-end gap-2">
                <TestPingButton endpointId={endpoint.id} onDone={setNotice} />
                <Button variant="secondary" onClick={() => setDialog("edit")}>
                  Edit
                </Button>
                <Button variant="secondary" onClick={() => setDialog("rotate")}>
                  Rotate secret
                </Button>
                {disabled ? (
                  <Button onClick={() => setDialog("enable")}>Enable</Button>
                ) : (
                  <Button variant="danger" onClick={() => setDialog("disable")}>
                    Disable
                  </Button>
                )}
              </div>
            ) : undefined
          }
        />
        <HealthFacts endpoint={endpoint} />
      </Card>

      <PoolAcks endpoint={endpoint} />

      {actions.manageEndpoints || actions.bulkReplay ? <TestPings endpointId={endpoint.id} /> : null}

      <Card aria-labelledby="endpoint-deliveries-heading">
        <CardHeader
          id="endpoint-deliveries-heading"
          title="Deliveries"
          description="This endpoint's deliveries, newest first."
          actions={
            actions.bulkReplay ? (
              <Button variant="secondary" onClick={() => setDialog("window")} data-testid="replay-window-open">
                Replay a window…
              </Button>
            ) : undefined
          }
        />
        <DeliveryFilters
          params={params}
          filter={filter}
          endpoints={[]}
          fixedEndpoint
          ignored={parsed.ignored}
          onChange={(patch) => update(patch)}
          onClear={() => update(clearedFilterParams())}
        />
        <DeliveryLog filter={filter} exportName={`deliveries-${endpoint.partnerCode.toLowerCase()}`} height="min(60vh, 600px)" />
      </Card>

      {actions.bulkReplay ? <ReplayJobsPanel canCancel endpointNames={(id) => (id === endpoint.id ? endpoint.partnerCode : id)} /> : null}

      {dialog === "edit" ? <EditDialog endpoint={endpoint} onClose={() => setDialog(null)} onDone={() => setNotice("Endpoint updated. New event types apply to events from now on.")} /> : null}
      {dialog === "disable" ? <DisableDialog endpoint={endpoint} onClose={() => setDialog(null)} onDone={() => setNotice("Endpoint disabled. Its pending deliveries are parked until it is enabled.")} /> : null}
      {dialog === "enable" ? <EnableDialog endpoint={endpoint} onClose={() => setDialog(null)} onDone={() => setNotice("Endpoint enabled. Parked deliveries are due now.")} /> : null}
      {dialog === "rotate" ? <RotateDialog endpoint={endpoint} onClose={() => setDialog(null)} /> : null}
      {dialog === "window" ? (
        <ReplayWindowDialog
          endpointId={endpoint.id}
          onClose={() => setDialog(null)}
          onStarted={(job: StartedJob) => {
            setDialog(null);
            setNotice(`Replay started: ${formatCount(job.total)} ${job.total === 1 ? "delivery" : "deliveries"}. Its progress is under Replay jobs below.`);
          }}
        />
      ) : null}
    </div>
  );
}

function HealthFacts({ endpoint }: { endpoint: EndpointDetail }) {
  const h = endpoint.health;
  return (
    <CardBody>
      <dl className="grid gap-x-6 gap-y-4 text-sm sm:grid-cols-2 lg:grid-cols-3 2xl:grid-cols-5" data-testid="endpoint-health">
        <Fact label={`Success (${h.windowHours} h)`}>
          <Badge tone={rateTone(h.successRate)}>{formatRate(h.successRate)}</Badge>
          <span className="ml-1 text-xs text-slate-600">
            {formatCount(h.succeeded)} of {formatCount(h.attempts)}
          </span>
        </Fact>
        <Fact label="Latency p50 / p95">
          {formatLatency(h.latencyP50Ms)} / {formatLatency(h.latencyP95Ms)}
        </Fact>
        <Fact label="Failing in a row">
          <span className={h.consecutiveFailures ? "font-semibold text-red-800" : undefined}>{h.consecutiveFailures}</span>
          {h.failingSince ? (
            <span className="block text-xs text-slate-600">
              since <ZonedTime value={h.failingSince} />
            </span>
          ) : null}
        </Fact>
        <Fact label="Last success">
          <ZonedTime value={h.lastSuccessAt} empty="Never" />
        </Fact>
        <Fact label="Oldest undelivered">
          {h.oldestUndelivered ? (
            <>
              <span className={cx("font-semibold", h.oldestUndelivered.lagSeconds > 300 ? "text-red-800" : undefined)}>{formatDuration(h.oldestUndelivered.lagSeconds)} behind</span>
              <span className="block font-mono text-xs text-slate-600">{h.oldestUndelivered.eventType}</span>
            </>
          ) : (
            "Up to date"
          )}
        </Fact>
        <Fact label="Pending / dead">
          {formatCount(h.pendingDeliveries)} / <span className={h.deadDeliveries ? "font-semibold text-red-800" : undefined}>{formatCount(h.deadDeliveries)}</span>
        </Fact>
        <Fact label="Signing secret">
          version {endpoint.secretVersion}
          {endpoint.previousSecretExpiresAt ? (
            <span className="block text-xs text-slate-600">
              previous valid until <ZonedTime value={endpoint.previousSecretExpiresAt} />
            </span>
          ) : null}
        </Fact>
        <Fact label="Events">{endpoint.eventTypes.length ? <span className="font-mono text-xs">{endpoint.eventTypes.join(", ")}</span> : "All event types"}</Fact>
        <Fact label="Concurrency">{endpoint.maxConcurrency} at a time</Fact>
        <Fact label="Created">
          <ZonedTime value={endpoint.createdAt} />
        </Fact>
      </dl>
    </CardBody>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}

function PoolAcks({ endpoint }: { endpoint: EndpointDetail }) {
  const acks = endpoint.health.poolAcks;
  return (
    <Panel
      headingId="acks-heading"
      title="Inventory versions acknowledged"
      description="Per pool, the last inventory.updated version this endpoint answered 2xx to, against the pool's current version."
    >
      {acks.length === 0 ? (
        <p className="px-4 py-4 text-sm text-slate-600">No inventory.updated delivery acknowledged yet.</p>
      ) : (
        <Table caption="Acknowledged inventory versions per pool">
          <TableHeader columns={["Facility", "Unit type", { label: "Acknowledged", numeric: true }, { label: "Current", numeric: true }, { label: "Behind", numeric: true }, "Acknowledged at"]} />
          <TBody>
            {acks.map((ack) => (
              <Tr key={ack.poolId}>
                <Td className="font-mono text-xs">{ack.facilityCode}</Td>
                <Td className="font-mono text-xs">{ack.unitTypeCode}</Td>
                <Td numeric>v{ack.ackedVersion}</Td>
                <Td numeric>v{ack.currentVersion}</Td>
                <Td numeric>{ack.versionsBehind ? <Badge tone={ack.versionsBehind > 5 ? "danger" : "warning"}>{ack.versionsBehind}</Badge> : <Badge tone="success">0</Badge>}</Td>
                <Td>
                  <ZonedTime value={ack.ackedAt} withSeconds />
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      )}
    </Panel>
  );
}

function TestPings({ endpointId }: { endpointId: string }) {
  const trpc = useTRPC();
  const query = useQuery(trpc.webhooks.testPings.queryOptions({ endpointId, limit: 5 }));
  if (!query.data?.length) return null;
  return (
    <Panel headingId="pings-heading" title="Test pings" description="Signed test messages sent from here; they do not count towards the endpoint's health.">
      <Table caption="Recent test pings">
        <TableHeader columns={["Sent", "Result", { label: "Latency", numeric: true }, "Signed with", "By"]} />
        <TBody>
          {query.data.map((ping) => (
            <Tr key={ping.id}>
              <Td>
                <ZonedTime value={ping.startedAt} withSeconds />
              </Td>
              <Td>
                <Badge tone={ping.success ? "success" : "danger"}>{ping.responseStatus ? `HTTP ${ping.responseStatus}` : (FAILURE_CLASS_LABELS[ping.failureClass ?? ""] ?? "No answer")}</Badge>
                {ping.errorMessage && !ping.success ? <span className="ml-1 text-xs text-red-800">{ping.errorMessage}</span> : null}
              </Td>
              <Td numeric>{formatLatency(ping.durationMs)}</Td>
              <Td className="font-mono text-xs">{ping.signedWith.join(", ")}</Td>
              <Td className="text-xs">{ping.requestedBy?.email ?? "—"}</Td>
            </Tr>
          ))}
        </TBody>
      </Table>
    </Panel>
  );
}

function TestPingButton({ endpointId, onDone }: { endpointId: string; onDone: (text: string) => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [failure, setFailure] = useState<string | null>(null);
  const action = useConsoleAction(sendTestPingAction, {
    onSuccess: async (ping, input) => {
      await queryClient.invalidateQueries({ queryKey: trpc.webhooks.testPings.pathKey() });
      onDone(
        ping.success
          ? `Test ping answered HTTP ${ping.responseStatus} in ${formatLatency(ping.durationMs)} (signed with ${ping.signedWith.join(", ")}).`
          : `Test ping to ${input.endpointId} failed: ${ping.errorMessage ?? "no answer"}.`,
      );
    },
  });
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant="secondary"
        disabled={action.pending}
        onClick={async () => {
          const result = await action.run({ endpointId });
          setFailure(result.ok ? null : result.message);
        }}
      >
        {action.pending ? "Sending…" : "Send test ping"}
      </Button>
      {failure ? (
        <span role="alert" className="text-xs text-red-800">
          {failure}
        </span>
      ) : null}
    </span>
  );
}

const EDIT_FIELDS = ["url", "description", "event_types", "max_concurrency"];

/** URL, description, event types and concurrency; only what changed is sent. */
function EditDialog({ endpoint, onClose, onDone }: { endpoint: EndpointDetail; onClose: () => void; onDone: () => void }) {
  const id = useId();
  const [form, setForm] = useState({
    url: endpoint.url,
    description: endpoint.description ?? "",
    eventTypes: endpoint.eventTypes,
    maxConcurrency: String(endpoint.maxConcurrency),
  });
  const invalidate = useInvalidateWebhooks();
  const action = useConsoleAction(updateEndpointAction, {
    onSuccess: async () => {
      await invalidate("all");
      onClose();
      onDone();
    },
  });
  const sameTypes = [...form.eventTypes].sort().join() === [...endpoint.eventTypes].sort().join();
  const submit = () => {
    const concurrency = Number(form.maxConcurrency);
    void action.run({
      endpointId: endpoint.id,
      ...(form.url.trim() !== endpoint.url ? { url: form.url } : {}),
      ...(form.description.trim() !== (endpoint.description ?? "") ? { description: form.description } : {}),
      ...(sameTypes ? {} : { event_types: form.eventTypes as (typeof EVENT_TYPES)[number][] }),
      ...(concurrency !== endpoint.maxConcurrency ? { max_concurrency: form.maxConcurrency.trim() === "" ? Number.NaN : concurrency } : {}),
    });
  };
  return (
    <FormDialog
      title={`Edit ${endpoint.partnerCode}'s endpoint`}
      description="Deliveries already made keep their history; a new URL and new event types apply to what is sent from now on."
      onClose={onClose}
      onSubmit={submit}
      submitLabel="Save changes"
      pendingLabel="Saving…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={EDIT_FIELDS} />}
    >
      <TextField
        id={`${id}-url`}
        label="URL"
        type="url"
        value={form.url}
        onChange={(e) => setForm({ ...form, url: e.target.value })}
        hint="An https URL the partner controls; it is checked against the destination rules."
        error={errorAt(action.failure, "url")}
        data-autofocus
        maxLength={2048}
        autoComplete="off"
      />
      <TextField
        id={`${id}-description`}
        label="Description"
        optional
        value={form.description}
        onChange={(e) => setForm({ ...form, description: e.target.value })}
        error={errorAt(action.failure, "description")}
        maxLength={500}
      />
      <CheckboxGroup
        legend="Event types"
        hint="Leave all unticked to receive every type, including ones added later."
        optional
        error={errorAt(action.failure, "event_types")}
        gridClassName="grid gap-2 sm:grid-cols-2"
        options={EVENT_TYPES.map((type) => ({ value: type, id: `${id}-type-${type}`, label: <span className="font-mono text-xs">{type}</span> }))}
        selected={form.eventTypes}
        onChange={(eventTypes) => setForm({ ...form, eventTypes })}
      />
      <TextField
        id={`${id}-concurrency`}
        label="Requests at once"
        type="number"
        inputMode="numeric"
        min={1}
        max={64}
        value={form.maxConcurrency}
        onChange={(e) => setForm({ ...form, maxConcurrency: e.target.value })}
        hint="How many deliveries may be in flight to this endpoint at the same time, across every worker (1–64)."
        error={errorAt(action.failure, "max_concurrency")}
      />
    </FormDialog>
  );
}

function DisableDialog({ endpoint, onClose, onDone }: { endpoint: EndpointDetail; onClose: () => void; onDone: () => void }) {
  const id = useId();
  const [reason, setReason] = useState("");
  const invalidate = useInvalidateWebhooks();
  const action = useConsoleAction(disableEndpointAction, {
    onSuccess: async () => {
      await invalidate("all");
      onClose();
      onDone();
    },
  });
  return (
    <FormDialog
      title={`Disable ${endpoint.partnerCode}'s endpoint?`}
      description="No deliveries are sent to it until it is enabled again; pending ones are parked with their place in the schedule kept."
      onClose={onClose}
      onSubmit={() => void action.run({ endpointId: endpoint.id, reason })}
      submitLabel="Disable endpoint"
      pendingLabel="Disabling…"
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} fields={["reason"]} />}
    >
      <TextField
        id={id}
        label="Reason"
        value={reason}
        onChange={(e) => setReason(e.target.value)}
        hint="Shown to everyone who looks at this endpoint, and kept in the audit log."
        error={errorAt(action.failure, "reason")}
        data-autofocus
        maxLength={500}
      />
    </FormDialog>
  );
}

function EnableDialog({ endpoint, onClose, onDone }: { endpoint: EndpointDetail; onClose: () => void; onDone: () => void }) {
  const invalidate = useInvalidateWebhooks();
  const action = useConsoleAction(enableEndpointAction, {
    onSuccess: async () => {
      await invalidate("all");
      onClose();
      onDone();
    },
  });
  return (
    <ConfirmDialog
      title={`Enable ${endpoint.partnerCode}'s endpoint?`}
      confirmLabel="Enable endpoint"
      pendingLabel="Enabling…"
      tone="primary"
      onClose={onClose}
      onConfirm={() => void action.run({ endpointId: endpoint.id })}
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} />}
    >
      Deliveries resume at once: {formatCount(endpoint.health.pendingDeliveries)} parked {endpoint.health.pendingDeliveries === 1 ? "delivery is" : "deliveries are"} due now, and
      the failure streak starts again from zero.
      {endpoint.disabledReason ? <span className="mt-2 block">It was disabled because: {endpoint.disabledReason}</span> : null}
    </ConfirmDialog>
  );
}

function RotateDialog({ endpoint, onClose }: { endpoint: EndpointDetail; onClose: () => void }) {
  const invalidate = useInvalidateWebhooks();
  const [secret, setSecret] = useState<{ value: string; version: number; previousUntil: string | null } | null>(null);
  const action = useConsoleAction(rotateSecretAction, {
    onSuccess: async (data) => {
      setSecret({ value: data.secret, version: data.secretVersion, previousUntil: data.previousSecretExpiresAt });
      await invalidate("endpoints");
    },
  });
  if (secret) {
    return (
      <Dialog title="New signing secret" onClose={onClose} data-testid="rotated-secret-dialog">
        <DialogBody>
          <p className="text-sm text-slate-700">
            Give this to {endpoint.partnerCode}. It is shown <strong>only now</strong>: Holdfast stores it encrypted and will not show it again.
          </p>
          <div className="flex items-center gap-2 rounded-md border border-slate-300 bg-slate-50 p-2">
            <code className="min-w-0 flex-1 font-mono text-sm break-all" data-testid="new-secret">
              {secret.value}
            </code>
            <CopyButton value={secret.value} />
          </div>
          <p className="text-sm text-slate-700">
            Version {secret.version} signs from now on. The previous secret also signs
            {secret.previousUntil ? (
              <>
                {" "}
                until <ZonedTime value={secret.previousUntil} />
              </>
            ) : (
              " for 24 hours"
            )}
            , so the partner can switch without losing a webhook.
          </p>
        </DialogBody>
        <DialogFooter>
          <Button onClick={onClose} data-autofocus>
            I have stored it
          </Button>
        </DialogFooter>
      </Dialog>
    );
  }
  return (
    <ConfirmDialog
      title={`Rotate ${endpoint.partnerCode}'s signing secret?`}
      confirmLabel="Rotate secret"
      pendingLabel="Rotating…"
      onClose={onClose}
      onConfirm={() => void action.run({ endpointId: endpoint.id })}
      pending={action.pending}
      error={<ActionFailureAlert failure={action.failure} />}
    >
      A new secret (version {endpoint.secretVersion + 1}) is made and shown once. For 24 hours webhooks are signed with both the new and the current secret; after that only the new
      one is valid.
      {endpoint.previousSecretExpiresAt ? <span className="mt-2 block font-medium text-amber-900">A rotation is already in progress: the oldest secret stops working now.</span> : null}
    </ConfirmDialog>
  );
}
