"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback, useEffect, useRef, useState, type ReactNode } from "react";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Countdown } from "@/components/ui/countdown";
import { cx } from "@/components/ui/cx";
import { ConfirmDialog } from "@/components/ui/dialog";
import { ErrorState } from "@/components/ui/error-state";
import { focusRing } from "@/components/ui/focus";
import { FormAlert } from "@/components/ui/form";
import { Skeleton } from "@/components/ui/skeleton";
import { ZonedTime } from "@/components/ui/zoned-time";
import { useTRPC } from "@/components/trpc/client";
import { describeError } from "@/components/trpc/errors";
import { unblockUnitAction } from "@/server/actions/inventory";
import { BLOCK_REASON_LABELS, BlockUnitDialog, type BlockDone } from "./block-dialog";
import type { BoardUnitStatus } from "./board-filters";
import { BOARD_REFRESH_MS, useInventoryAction, type UnitHistoryData } from "./inventory-data";
import { UnitStatusLabel } from "./unit-status";

type HistoryBlock = UnitHistoryData["blocks"][number];

const BOOKING_TONE: Record<string, BadgeTone> = {
  TENTATIVE: "warning",
  CONFIRMED: "info",
  FULFILLED: "success",
  EXPIRED: "neutral",
  CANCELLED: "danger",
};
const BLOCK_TONE: Record<string, BadgeTone> = { ACTIVE: "danger", SCHEDULED: "warning", ENDED: "neutral", CANCELLED: "neutral" };

/**
 * The unit panel beside the board (its URL is shareable: ?unit=CODE): the unit now, its
 * blocks, bookings and events, refreshed with the board; block and unblock for roles
 * that may. Escape or the close button closes it and focus returns to the unit's tile.
 */
export function UnitDrawer({
  facilityCode,
  timezone,
  unitCode,
  canBlock,
  onClose,
}: {
  facilityCode: string;
  timezone: string;
  unitCode: string;
  canBlock: boolean;
  onClose: () => void;
}) {
  const trpc = useTRPC();
  const query = useQuery(
    trpc.inventory.unit.queryOptions({ facilityCode, unitCode }, { refetchInterval: BOARD_REFRESH_MS, refetchIntervalInBackground: false }),
  );
  const [blocking, setBlocking] = useState(false);
  const [ending, setEnding] = useState<HistoryBlock | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);

  // Keyed by the unit, so it mounts afresh (notice cleared) for each unit: focus its heading.
  useEffect(() => {
    headingRef.current?.focus();
  }, []);

  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      // A dialog open above the drawer handles its own Escape.
      if (event.key !== "Escape" || document.querySelector("dialog[open]")) return;
      onClose();
    }
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [onClose]);

  const onBlocked = useCallback(
    (done: BlockDone) => {
      setBlocking(false);
      const moved = done.movedBooking ? ` Booking ${done.movedBooking.reference} moved to ${done.movedBooking.toUnitCode}.` : "";
      setNotice(done.scheduled ? `Block scheduled on ${done.unitCode}; it starts by itself.${moved}` : `${done.unitCode} is blocked.${moved}`);
    },
    [],
  );

  const data = query.data;
  return (
    <aside
      aria-labelledby="unit-drawer-title"
      data-testid="unit-drawer"
      className={cx(
        // A column beside the board on wide screens (it stays in view while the board scrolls); over it on narrow ones.
        "fixed top-14 right-0 bottom-0 z-30 flex w-full max-w-md flex-col border-l border-slate-200 bg-white shadow-2xl",
        "lg:sticky lg:top-[4.5rem] lg:right-auto lg:bottom-auto lg:z-0 lg:h-[calc(100vh-5.5rem)] lg:w-[22rem] 2xl:w-[28rem] lg:max-w-none lg:shrink-0 lg:rounded-lg lg:border lg:shadow-sm",
      )}
    >
      <header className="flex items-start justify-between gap-3 border-b border-slate-200 px-5 py-4">
        <div className="min-w-0">
          <p className="text-xs font-medium tracking-wide text-slate-500 uppercase">Unit at {facilityCode}</p>
          <h2 id="unit-drawer-title" ref={headingRef} tabIndex={-1} className="font-mono text-xl font-semibold text-slate-900 focus:outline-none">
            {unitCode}
          </h2>
          {data ? (
            <p className="mt-1 flex flex-wrap items-center gap-x-3 gap-y-1 text-sm text-slate-700">
              <UnitStatusLabel status={data.unit.status as BoardUnitStatus} />
              <span>
                {data.unit.unitTypeCode} · {data.unit.unitTypeName}
              </span>
              <span>Floor {data.unit.floor}</span>
            </p>
          ) : null}
        </div>
        <button
          type="button"
          onClick={onClose}
          aria-label="Close unit panel"
          className={cx("grid h-8 w-8 shrink-0 place-items-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-800", focusRing)}
        >
          <svg viewBox="0 0 20 20" aria-hidden="true" className="h-4 w-4" fill="none" stroke="currentColor" strokeWidth="2">
            <path d="M5 5l10 10M15 5L5 15" strokeLinecap="round" />
          </svg>
        </button>
      </header>
      <div className="min-h-0 flex-1 space-y-5 overflow-y-auto px-5 py-4">
        {notice ? (
          <p role="status" className="rounded-md border border-emerald-200 bg-emerald-50 px-3 py-2 text-sm text-emerald-900" data-testid="drawer-notice">
            {notice}
          </p>
        ) : null}
        {query.isPending ? (
          <div role="status" className="space-y-3">
            <span className="sr-only">Loading unit…</span>
            <Skeleton className="h-5 w-48" />
            <Skeleton className="h-16 w-full" />
            <Skeleton className="h-24 w-full" />
          </div>
        ) : !data ? (
          <ErrorState
            title={describeError(query.error).code === "NOT_FOUND" ? "Unit not found" : "The unit could not be loaded"}
            message={describeError(query.error).message}
            correlationId={describeError(query.error).correlationId}
            onRetry={() => void query.refetch()}
            retrying={query.isFetching}
          />
        ) : (
          <>
            <p className="text-xs text-slate-600">
              Status since <ZonedTime value={data.unit.statusChangedAt} timeZone={timezone} />
            </p>
            {canBlock ? (
              <div className="flex flex-wrap gap-2">
                <Button size="sm" onClick={() => setBlocking(true)}>
                  Block unit…
                </Button>
              </div>
            ) : null}

            {data.currentBooking ? (
              <Section title="On the unit now">
                <div className="rounded-md border border-slate-200 px-3 py-2 text-sm">
                  <BookingLine booking={data.currentBooking} timezone={timezone} />
                  {data.currentBooking.status === "TENTATIVE" ? (
                    <p className="mt-1 text-amber-900">
                      Hold expires in <Countdown until={data.currentBooking.holdExpiresAt} className="font-mono font-semibold" />
                    </p>
                  ) : null}
                </div>
              </Section>
            ) : null}

            <Section title="Blocks" count={data.blocks.length}>
              {data.blocks.length === 0 ? (
                <Empty>No maintenance blocks on this unit.</Empty>
              ) : (
                <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" data-testid="unit-blocks">
                  {data.blocks.map((block) => (
                    <li key={block.id} className="px-3 py-2 text-sm" data-block-status={block.status}>
                      <div className="flex items-center justify-between gap-2">
                        <span className="flex items-center gap-2">
                          <Badge tone={BLOCK_TONE[block.status]}>{block.status.toLowerCase()}</Badge>
                          <span className="font-medium">{BLOCK_REASON_LABELS[block.reason]}</span>
                        </span>
                        {canBlock && (block.status === "ACTIVE" || block.status === "SCHEDULED") ? (
                          <Button size="sm" variant="secondary" onClick={() => setEnding(block)}>
                            {block.status === "ACTIVE" ? "Unblock…" : "Call off…"}
                          </Button>
                        ) : null}
                      </div>
                      {block.note ? <p className="mt-1 text-slate-700">{block.note}</p> : null}
                      <p className="mt-1 text-xs text-slate-600">
                        <ZonedTime value={block.startsAt} timeZone={timezone} /> →{" "}
                        {block.endsAt ? <ZonedTime value={block.endsAt} timeZone={timezone} /> : "no end"}
                        {block.endedAt ? (
                          <>
                            {" "}
                            · ended <ZonedTime value={block.endedAt} timeZone={timezone} />
                          </>
                        ) : null}
                      </p>
                      <p className="text-xs text-slate-500">
                        by {block.createdBy?.email ?? "the system"}
                        {block.endedBy ? ` · ended by ${block.endedBy.email}` : ""}
                      </p>
                    </li>
                  ))}
                </ul>
              )}
            </Section>

            <Section title="Bookings" count={data.bookings.length}>
              {data.bookings.length === 0 ? (
                <Empty>No booking has used this unit yet.</Empty>
              ) : (
                <ul className="divide-y divide-slate-100 rounded-md border border-slate-200">
                  {data.bookings.map((booking) => (
                    <li key={booking.reference} className="px-3 py-2 text-sm">
                      <BookingLine booking={booking} timezone={timezone} />
                    </li>
                  ))}
                </ul>
              )}
            </Section>

            <Section title="Events" count={data.events.length}>
              {data.events.length === 0 ? (
                <Empty>No events yet.</Empty>
              ) : (
                <ol className="space-y-2 border-l-2 border-slate-200 pl-3" data-testid="unit-events">
                  {data.events.map((event) => (
                    <li key={event.id} className="text-sm">
                      <p className="flex flex-wrap items-baseline gap-x-2">
                        <code className="font-mono text-xs font-semibold text-slate-900">{event.type}</code>
                        <ZonedTime value={event.createdAt} timeZone={timezone} withSeconds className="text-xs text-slate-600 tabular-nums" />
                      </p>
                      {event.summary ? <p className="text-xs text-slate-700">{event.summary}</p> : null}
                      <p className="text-xs text-slate-500">
                        {event.bookingReference ? (
                          <Link href={`/bookings/${encodeURIComponent(event.bookingReference)}`} className="font-mono text-indigo-800 hover:underline">
                            {event.bookingReference}
                          </Link>
                        ) : null}
                        {event.bookingReference && event.correlationId ? " · " : null}
                        {event.correlationId ? <span className="font-mono" title="correlation id">{event.correlationId}</span> : null}
                      </p>
                    </li>
                  ))}
                </ol>
              )}
            </Section>
          </>
        )}
      </div>
      {blocking ? (
        <BlockUnitDialog facilityCode={facilityCode} timezone={timezone} unitCode={unitCode} onClose={() => setBlocking(false)} onDone={onBlocked} />
      ) : null}
      {ending ? (
        <EndBlockDialog
          block={ending}
          unitCode={unitCode}
          onClose={() => setEnding(null)}
          onDone={(message) => {
            setEnding(null);
            setNotice(message);
          }}
        />
      ) : null}
    </aside>
  );
}

export function EndBlockDialog({ block, unitCode, onClose, onDone }: { block: HistoryBlock; unitCode: string; onClose: () => void; onDone: (message: string) => void }) {
  const active = block.status === "ACTIVE";
  const done = useCallback(
    (data: { changed: boolean }) =>
      onDone(!data.changed ? "That block had already ended." : active ? `${unitCode} is unblocked and available again.` : `The scheduled block on ${unitCode} is called off.`),
    [active, unitCode, onDone],
  );
  const action = useInventoryAction(unblockUnitAction, done);
  return (
    <ConfirmDialog
      onClose={onClose}
      onConfirm={() => void action.run({ block_id: block.id })}
      title={active ? `Unblock ${unitCode}?` : `Call off the scheduled block on ${unitCode}?`}
      confirmLabel={active ? "Unblock" : "Call off block"}
      tone={active ? "primary" : "danger"}
      pending={action.pending}
      error={action.failure ? <FormAlert message={action.failure.message} /> : null}
    >
      {active
        ? "The block ends now and the unit becomes available for new holds. Partners receive unit.unblocked and inventory.updated."
        : "The block will not start. Nothing else changes."}
    </ConfirmDialog>
  );
}

function BookingLine({ booking, timezone }: { booking: UnitHistoryData["bookings"][number]; timezone: string }) {
  return (
    <>
      <p className="flex flex-wrap items-center gap-2">
        <Link href={`/bookings/${encodeURIComponent(booking.reference)}`} className="font-mono font-medium text-indigo-800 hover:underline">
          {booking.reference}
        </Link>
        <Badge tone={BOOKING_TONE[booking.status] ?? "neutral"}>{booking.status.toLowerCase()}</Badge>
        <span className="text-slate-700">{booking.partnerCode}</span>
      </p>
      <p className="text-xs text-slate-600">
        {booking.customerName} · move-in {booking.moveInDate} · created <ZonedTime value={booking.createdAt} timeZone={timezone} />
      </p>
      {booking.cancelReason ? <p className="text-xs text-slate-700">Cancelled: {booking.cancelReason}</p> : null}
    </>
  );
}

function Section({ title, count, children }: { title: string; count?: number; children: ReactNode }) {
  return (
    <section>
      <h3 className="mb-2 flex items-center gap-2 text-sm font-semibold text-slate-900">
        {title}
        {count !== undefined ? <span className="text-xs font-normal text-slate-500">({count})</span> : null}
      </h3>
      {children}
    </section>
  );
}

function Empty({ children }: { children: ReactNode }) {
  return <p className="text-sm text-slate-600">{children}</p>;
}
