"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardHeader } from "@/components/ui/card";
import { CopyButton } from "@/components/ui/copy-button";
import { Countdown } from "@/components/ui/countdown";
import { cx } from "@/components/ui/cx";
import { ErrorState } from "@/components/ui/error-state";
import { focusRing } from "@/components/ui/focus";
import { PageHeader } from "@/components/ui/page-header";
import { Skeleton } from "@/components/ui/skeleton";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import { QueryErrorState } from "@/components/trpc/query-error-state";
import { apiLogsHref } from "@/components/api-logs/api-log-params";
import type { AppRouter } from "@/server/api/root";
import { BookingAccess } from "./booking-access";
import { BookingActions } from "./booking-actions";
import { EraseCustomer } from "./erase-customer";
import { BookingTimelineView } from "./booking-timeline-view";
import { bookingStatus } from "./format";

type Booking = inferRouterOutputs<AppRouter>["bookings"]["get"];

const DETAIL_REFRESH_MS = 15_000;

export interface BookingDetailProps {
  reference: string;
  /** what the user's role allows at this booking's facility (shared/permissions.ts); the state decides the rest */
  permissions: { cancel: boolean; fulfil: boolean; revealAccess: boolean; eraseCustomer: boolean };
}

/** /bookings/{reference}: the header, the actions the user may take, and the lifecycle timeline. */
export function BookingDetail({ reference, permissions }: BookingDetailProps) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [notice, setNotice] = useState<string | null>(null);
  const bookingQuery = useQuery(trpc.bookings.get.queryOptions({ reference }, { refetchInterval: DETAIL_REFRESH_MS }));
  const timelineQuery = useQuery(trpc.bookings.timeline.queryOptions({ reference }, { refetchInterval: DETAIL_REFRESH_MS }));

  const booking = bookingQuery.data;
  const eyebrow = (
    <Link href="/bookings" className={cx("rounded-sm text-indigo-800 hover:underline", focusRing)}>
      Bookings
    </Link>
  );

  if (!booking) {
    if (bookingQuery.isError) {
      return (
        <>
          <PageHeader eyebrow={eyebrow} title={reference} />
          <QueryErrorState title="This booking could not be loaded" query={bookingQuery} />
        </>
      );
    }
    return (
      <>
        <PageHeader eyebrow={eyebrow} title={reference} />
        <Skeleton className="h-40 w-full" />
      </>
    );
  }

  const status = bookingStatus(booking.status);
  const canCancel = permissions.cancel && booking.allowedActions.includes("cancel");
  const canFulfil = permissions.fulfil && booking.allowedActions.includes("fulfil");
  const canMoveOut = permissions.fulfil && booking.allowedActions.includes("move_out");

  async function afterAction(message: string) {
    setNotice(message);
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.bookings.get.queryKey({ reference }) }),
      queryClient.invalidateQueries({ queryKey: trpc.bookings.timeline.queryKey({ reference }) }),
      queryClient.invalidateQueries({ queryKey: trpc.bookings.access.queryKey({ reference }) }),
      queryClient.invalidateQueries({ queryKey: trpc.bookings.search.pathKey() }),
    ]);
    router.refresh();
  }

  return (
    <>
      <PageHeader
        eyebrow={eyebrow}
        title={
          <span className="flex flex-wrap items-center gap-3">
            <span className="font-mono">{booking.reference}</span>
            <Badge tone={status.tone} className="text-sm" data-testid="booking-status">
              {status.label}
            </Badge>
          </span>
        }
        description={
          <>
            {booking.customer.name} · <span className="font-mono">{booking.facilityCode}</span> unit{" "}
            <span className="font-mono">{booking.unitCode}</span> · {booking.partnerCode}{" "}
            <span className="font-mono">{booking.partnerBookingReference}</span>
          </>
        }
        actions={
          <>
            <CopyButton value={typeof window === "undefined" ? `/bookings/${booking.reference}` : `${window.location.origin}/bookings/${booking.reference}`} label="Copy link" />
            <BookingActions
              reference={booking.reference}
              unitCode={booking.unitCode}
              canCancel={canCancel}
              canFulfil={canFulfil}
              canMoveOut={canMoveOut}
              onDone={afterAction}
            />
            {permissions.eraseCustomer && !booking.customerErasedAt ? <EraseCustomer reference={booking.reference} onDone={afterAction} /> : null}
          </>
        }
      />
      {notice ? (
        <div role="status" className="mb-4 flex items-center justify-between gap-3 rounded-lg border border-emerald-200 bg-emerald-50 px-4 py-2.5 text-sm text-emerald-900">
          <span>{notice}</span>
          <Button size="sm" variant="ghost" onClick={() => setNotice(null)}>
            Dismiss
          </Button>
        </div>
      ) : null}
      <div className="space-y-6">
        <BookingSummary booking={booking} />
        <BookingAccess reference={booking.reference} timeZone={booking.facilityTimezone} canReveal={permissions.revealAccess} onChanged={afterAction} />
        <Card aria-labelledby="timeline-heading">
          <CardHeader
            id="timeline-heading"
            title="Lifecycle timeline"
            description={
              <>
                Every change, webhook, audit entry, idempotent replay and refused partner call, grouped by the request that caused it. Times in{" "}
                {booking.facilityTimezone} (UTC on hover).
              </>
            }
            actions={
              <span className="flex flex-wrap items-center gap-3">
                <Link
                  href={apiLogsHref({ bookingReference: booking.reference })}
                  className={cx("rounded-sm text-xs font-medium text-indigo-800 hover:underline", focusRing)}
                  data-testid="booking-api-calls"
                >
                  Partner API calls on this booking
                </Link>
                {timelineQuery.data ? (
                  <span className="text-xs text-slate-600" data-testid="timeline-counts">
                    {timelineQuery.data.counts.events} events · {timelineQuery.data.counts.deliveries} deliveries ·{" "}
                    {timelineQuery.data.counts.attempts} attempts · {timelineQuery.data.counts.audit} audit
                    {timelineQuery.data.counts.refusedRequests ? ` · ${timelineQuery.data.counts.refusedRequests} refused calls` : ""}
                    {timelineQuery.isFetching ? " · refreshing" : ""}
                  </span>
                ) : null}
              </span>
            }
          />
          {timelineQuery.data ? (
            <BookingTimelineView timeline={timelineQuery.data} timeZone={booking.facilityTimezone} />
          ) : timelineQuery.isError ? (
            <div className="p-4">
              <ErrorState
                title="The timeline could not be loaded"
                message={describeError(timelineQuery.error).message}
                correlationId={describeError(timelineQuery.error).correlationId}
                onRetry={() => void timelineQuery.refetch()}
                retrying={timelineQuery.isFetching}
              />
            </div>
          ) : (
            <div className="space-y-3 p-4" aria-busy="true" aria-label="Loading the timeline">
              {Array.from({ length: 5 }, (_, i) => (
                <Skeleton key={i} className="h-10 w-full" />
              ))}
            </div>
          )}
        </Card>
      </div>
    </>
  );
}

function Item({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="min-w-0" data-testid={testId}>
      <dt className="text-xs font-medium text-slate-600">{label}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

function BookingSummary({ booking }: { booking: Booking }) {
  const tz = booking.facilityTimezone;
  return (
    <Card aria-label="Booking summary">
      <dl className="grid grid-cols-2 gap-x-6 gap-y-4 px-4 py-4 md:grid-cols-3 xl:grid-cols-4">
        <Item label="Status">
          {bookingStatus(booking.status).label}
          {booking.status === "TENTATIVE" ? (
            <span className="ml-2 inline-flex items-center gap-1 rounded bg-amber-50 px-1.5 text-amber-900" data-testid="hold-countdown">
              <Countdown until={booking.holdExpiresAt} className="font-semibold tabular-nums" /> left
            </span>
          ) : null}
        </Item>
        <Item label="Facility">
          <Link href={`/inventory/${booking.facilityCode}`} className={cx("rounded-sm font-mono text-indigo-800 hover:underline", focusRing)}>
            {booking.facilityCode}
          </Link>{" "}
          <span className="text-xs text-slate-600">{tz}</span>
        </Item>
        <Item label="Unit">
          <span className="font-mono">{booking.unitCode}</span> <span className="text-xs text-slate-600">{booking.unitTypeCode}</span>
        </Item>
        <Item label="Partner">
          <div>{booking.partnerCode}</div>
          <div className="font-mono text-xs break-all text-slate-600">{booking.partnerBookingReference}</div>
        </Item>
        <Item label="Customer">
          <div className="truncate">{booking.customer.name}</div>
          <div className="truncate text-xs text-slate-600">
            {booking.customer.email}
            {booking.customer.phone ? ` · ${booking.customer.phone}` : ""}
          </div>
        </Item>
        <Item label="Move-in">
          <span className="tabular-nums">{booking.moveInDate}</span>
        </Item>
        <Item label="Inventory version" testId="inventory-version">
          v{booking.inventoryVersion} <span className="text-xs text-slate-600">· booking v{booking.version}</span>
        </Item>
        {booking.status === "TENTATIVE" || booking.status === "EXPIRED" ? (
          <Item label={booking.status === "TENTATIVE" ? "Hold expires" : "Hold expired"}>
            <ZonedTime value={booking.holdExpiresAt} timeZone={tz} />
          </Item>
        ) : null}
        <Item label="Created">
          <ZonedTime value={booking.createdAt} timeZone={tz} />
        </Item>
        <Item label="Last event">
          <ZonedTime value={booking.lastEventAt} timeZone={tz} />
        </Item>
        <Item label="Idempotency key">
          {booking.idempotencyKey ? <span className="font-mono text-xs break-all">{booking.idempotencyKey}</span> : <span className="text-slate-500">—</span>}
        </Item>
        {booking.status === "CANCELLED" ? (
          <div className="col-span-2 md:col-span-3 xl:col-span-4" data-testid="cancellation">
            <dt className="text-xs font-medium text-slate-600">Cancelled</dt>
            <dd className="mt-0.5 text-sm text-slate-900">
              <ZonedTime value={booking.cancelledAt} timeZone={tz} /> by <strong className="font-medium">{booking.cancelledBy ?? "unknown"}</strong>
              {booking.cancelReason ? <> — “{booking.cancelReason}”</> : null}
            </dd>
          </div>
        ) : null}
      </dl>
    </Card>
  );
}
