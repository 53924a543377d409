"use client";

import { useSyncExternalStore } from "react";
import { formatClock, toDate } from "./time-format";

function subscribeToSeconds(onChange: () => void): () => void {
  const timer = setInterval(onChange, 1000);
  return () => clearInterval(timer);
}
const currentSecond = (): number => Math.floor(Date.now() / 1000);
const noSecondOnServer = (): null => null;

/** Time left until `until`, ticking every second; `expiredLabel` once it has passed. */
export function Countdown({
  until,
  expiredLabel = "expired",
  className,
}: {
  until: Date | string | null | undefined;
  expiredLabel?: string;
  className?: string;
}) {
  const target = toDate(until);
  const seconds = useSyncExternalStore(subscribeToSeconds, currentSecond, noSecondOnServer);
  const now = seconds === null ? null : seconds * 1000;
  if (!target) return <span className="text-slate-500">—</span>;
  // Before hydration there is no "now": render nothing time-dependent to avoid a mismatch.
  if (now === null) return <span className={className}>…</span>;
  const left = (target.getTime() - now) / 1000;
  return (
    <span
      className={className ?? "tabular-nums"}
      role="timer"
      aria-live="off"
      title={target.toISOString()}
      data-expired={left <= 0 ? "true" : undefined}
    >
      {left <= 0 ? expiredLabel : formatClock(left)}
    </span>
  );
}
