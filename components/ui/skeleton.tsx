import { cx } from "./cx";

/** A placeholder block while content loads; hidden from assistive technology. */
export function Skeleton({ className }: { className?: string }) {
  return <span aria-hidden="true" className={cx("block animate-pulse rounded bg-slate-200", className)} />;
}

/**
 * A section that is still loading: a status for assistive technology (`label`) and a few
 * placeholder blocks roughly the shape of what is coming (a toolbar, then rows).
 */
export function SectionSkeleton({ label, rows = 8, testId }: { label: string; rows?: number; testId?: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-3" data-testid={testId ?? "section-loading"}>
      <span className="sr-only">{label}</span>
      <Skeleton className="h-10 w-full" />
      {Array.from({ length: rows }, (_, i) => (
        <Skeleton key={i} className="h-8 w-full" />
      ))}
    </div>
  );
}
