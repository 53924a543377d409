import { cx } from "@/components/ui/cx";
import { formatUtcTime } from "./format";

/** When the live data was last read, how often it refreshes, and a plain warning when a refresh failed. */
export function RefreshStatus({
  updatedAt,
  failed,
  fetching,
  intervalMs,
}: {
  updatedAt: number;
  failed: boolean;
  fetching: boolean;
  intervalMs: number;
}) {
  return (
    <p className="text-xs text-slate-600" aria-live="polite" data-testid="refresh-status">
      {failed ? (
        <span className="font-medium text-amber-900">Refresh failed; showing data from {formatUtcTime(updatedAt)}. Retrying…</span>
      ) : (
        <>
          Updated <span suppressHydrationWarning>{formatUtcTime(updatedAt)}</span> · refreshes every {intervalMs / 1000} s
          <span className={cx("ml-2 inline-block h-1.5 w-1.5 rounded-full bg-emerald-500 align-middle", !fetching && "invisible")} aria-hidden="true" />
        </>
      )}
    </p>
  );
}
