"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { SuccessNotice } from "@/components/admin/success-notice";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { TabNav } from "@/components/ui/tab-nav";
import { useUrlState } from "@/components/ui/use-url-state";
import { useTRPC } from "@/components/trpc/client";
import { BulkReplayDialog, type StartedJob } from "./bulk-replay-dialog";
import { DeliveryFilters } from "./delivery-filters";
import { DeliveryLog } from "./delivery-log";
import { EndpointsPanel } from "./endpoints-panel";
import { clearedFilterParams, describeFilter, filterFromParams, isDeadLetterView } from "./filter-params";
import { formatCount } from "./format";
import { ReplayJobsPanel } from "./replay-jobs-panel";
import { WEBHOOKS_REFRESH_MS, type WebhookActions } from "./webhooks-data";

/**
 * /webhooks: endpoints with their health, bulk replay jobs, and the delivery log with
 * its filters in the URL — "Dead letters" is the log filtered to status DEAD, so it is
 * a link like any other view.
 */
export function WebhooksConsole({ actions }: { actions: WebhookActions }) {
  const trpc = useTRPC();
  const { params, update } = useUrlState();
  const { filter, ignored } = useMemo(() => filterFromParams(params), [params]);
  const endpoints = useQuery(trpc.webhooks.endpoints.queryOptions(undefined, { refetchInterval: WEBHOOKS_REFRESH_MS }));
  const deadCount = useQuery(trpc.webhooks.deliveryCount.queryOptions({ filter: { status: ["DEAD"] } }, { refetchInterval: WEBHOOKS_REFRESH_MS }));
  const [bulkOpen, setBulkOpen] = useState(false);
  const [started, setStarted] = useState<StartedJob | null>(null);

  const endpointName = useCallback(
    (id: string) => {
      const e = endpoints.data?.find((x) => x.id === id);
      return e ? `${e.partnerCode} (${e.description || e.url})` : id;
    },
    [endpoints.data],
  );
  const partnerName = useCallback((id: string) => endpoints.data?.find((x) => x.partnerId === id)?.partnerCode ?? id, [endpoints.data]);
  const description = describeFilter(filter, { endpoint: endpointName, partner: partnerName });
  const dead = isDeadLetterView(filter);

  const showDeadOf = (endpointId: string) => {
    update({ ...clearedFilterParams(), status: "DEAD", endpoint: endpointId });
    document.getElementById("deliveries-heading")?.scrollIntoView({ behavior: "smooth", block: "start" });
  };

  return (
    <div className="space-y-6">
      {started ? (
        <SuccessNotice onDismiss={() => setStarted(null)}>
          Bulk replay started: {formatCount(started.total)} {started.total === 1 ? "delivery" : "deliveries"}. Its progress is under Replay jobs.
        </SuccessNotice>
      ) : null}

      <EndpointsPanel onShowDead={showDeadOf} />

      <ReplayJobsPanel canCancel={actions.bulkReplay} endpointNames={endpointName} />

      <Card aria-labelledby="deliveries-heading">
        <CardHeader
          id="deliveries-heading"
          title={dead ? "Dead letters" : "Delivery log"}
          description={
            dead
              ? "Deliveries whose every retry failed. Fix the cause with the partner, then replay them."
              : "Every delivery of every event to every endpoint, newest first. Open one to see each attempt."
          }
          actions={
            actions.bulkReplay ? (
              <Button variant="secondary" onClick={() => setBulkOpen(true)} data-testid="bulk-replay-open">
                {dead ? "Replay dead letters…" : "Replay matching…"}
              </Button>
            ) : undefined
          }
        />
        <TabNav
          label="Delivery views"
          className="px-2"
          current={dead ? "dead" : "all"}
          items={[
            { id: "all", label: "All deliveries", href: "/webhooks" },
            { id: "dead", label: "Dead letters", href: "/webhooks?status=DEAD", count: deadCount.data?.count },
          ]}
          onSelect={(id) => update({ status: id === "dead" ? "DEAD" : null })}
        />
        <DeliveryFilters
          params={params}
          filter={filter}
          endpoints={endpoints.data ?? []}
          ignored={ignored}
          onChange={(patch) => update(patch)}
          onClear={() => update(clearedFilterParams())}
        />
        <DeliveryLog filter={filter} exportName={dead ? "dead-letters" : "webhook-deliveries"} />
      </Card>

      {bulkOpen ? (
        <BulkReplayDialog
          filter={filter}
          description={description}
          onClose={() => setBulkOpen(false)}
          onStarted={(job) => {
            setBulkOpen(false);
            setStarted(job);
          }}
        />
      ) : null}
    </div>
  );
}
