import type { MouseEvent, ReactNode } from "react";
import { cx } from "./cx";
import { focusRing } from "./focus";

export interface TabNavItem {
  id: string;
  label: ReactNode;
  href: string;
  /** a small count after the label */
  count?: number;
}

export interface TabNavProps {
  label: string;
  items: TabNavItem[];
  current: string;
  /** a plain click on a tab; links still open in a new tab with a modifier key */
  onSelect?: (id: string, event: MouseEvent<HTMLAnchorElement>) => void;
  className?: string;
}

/**
 * Sections of one page as links (each is its own URL, so it can be shared); the
 * current one is marked aria-current.
 */
export function TabNav({ label, items, current, onSelect, className }: TabNavProps) {
  return (
    <nav aria-label={label} className={cx("border-b border-slate-200", className)}>
      <ul className="-mb-px flex flex-wrap gap-x-1">
        {items.map((item) => {
          const selected = item.id === current;
          return (
            <li key={item.id}>
              <a
                href={item.href}
                aria-current={selected ? "page" : undefined}
                onClick={(event) => {
                  if (!onSelect || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey || event.button !== 0) return;
                  event.preventDefault();
                  onSelect(item.id, event);
                }}
                className={cx(
                  "inline-flex items-center gap-2 rounded-t-md border-b-2 px-3 py-2.5 text-sm font-medium transition-colors",
                  focusRing,
                  selected ? "border-indigo-600 text-indigo-800" : "border-transparent text-slate-600 hover:border-slate-300 hover:text-slate-900",
                )}
              >
                {item.label}
                {item.count !== undefined ? (
                  <span
                    className={cx(
                      "rounded-full px-1.5 py-0.5 text-xs tabular-nums",
                      selected ? "bg-indigo-100 text-indigo-800" : "bg-slate-100 text-slate-700",
                    )}
                  >
                    {item.count}
                  </span>
                ) : null}
              </a>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
