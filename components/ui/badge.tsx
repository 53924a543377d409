import type { HTMLAttributes, ReactNode } from "react";
import { cx } from "./cx";

export type BadgeTone = "neutral" | "info" | "success" | "warning" | "danger";

// Text on tinted backgrounds, all at least 4.5:1.
const TONES: Record<BadgeTone, string> = {
  neutral: "bg-slate-100 text-slate-700 ring-slate-300",
  info: "bg-sky-50 text-sky-800 ring-sky-200",
  success: "bg-emerald-50 text-emerald-800 ring-emerald-200",
  warning: "bg-amber-50 text-amber-900 ring-amber-200",
  danger: "bg-red-50 text-red-800 ring-red-200",
};

export function Badge({ tone = "neutral", className, ...props }: HTMLAttributes<HTMLSpanElement> & { tone?: BadgeTone }) {
  return (
    <span
      className={cx(
        "inline-flex items-center gap-1 rounded-full px-2 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset",
        TONES[tone],
        className,
      )}
      {...props}
    />
  );
}

export type Status = "active" | "inactive" | "disabled" | "revoked";

const STATUSES: Record<Status, { tone: BadgeTone; label: string }> = {
  active: { tone: "success", label: "Active" },
  inactive: { tone: "warning", label: "Inactive" },
  disabled: { tone: "danger", label: "Disabled" },
  revoked: { tone: "danger", label: "Revoked" },
};

/** Whether something works: Active, Inactive (switched off, can be switched on), Disabled, Revoked (for good). */
export function StatusBadge({ status }: { status: Status }) {
  const { tone, label } = STATUSES[status];
  return <Badge tone={tone}>{label}</Badge>;
}

export interface BadgeListItem {
  /** the React key */
  id: string;
  label: ReactNode;
  tone?: BadgeTone;
  title?: string;
}

/** Badges side by side, wrapping. */
export function BadgeList({ items, badgeClassName }: { items: readonly BadgeListItem[]; badgeClassName?: string }) {
  return (
    <div className="flex flex-wrap gap-1">
      {items.map((item) => (
        <Badge key={item.id} tone={item.tone} title={item.title} className={badgeClassName}>
          {item.label}
        </Badge>
      ))}
    </div>
  );
}
