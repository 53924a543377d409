import type { ReactNode } from "react";
import { cx } from "./cx";

export interface EmptyStateProps {
  title: ReactNode;
  description?: ReactNode;
  action?: ReactNode;
  className?: string;
}

export function EmptyState({ title, description, action, className }: EmptyStateProps) {
  return (
    <div className={cx("rounded-lg border border-dashed border-slate-300 bg-white px-6 py-12 text-center", className)}>
      <p className="text-base font-semibold text-slate-900">{title}</p>
      {description ? <div className="mx-auto mt-2 max-w-prose text-sm text-slate-600">{description}</div> : null}
      {action ? <div className="mt-5 flex justify-center">{action}</div> : null}
    </div>
  );
}
