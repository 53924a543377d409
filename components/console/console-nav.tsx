"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { GO_SHORTCUTS } from "./shortcuts";

export interface NavItem {
  href: string;
  label: string;
  /** a count beside the label (open incidents) */
  badge?: number;
}

/** The console's left navigation; the server decides which items the user gets. */
export function ConsoleNav({ items }: { items: NavItem[] }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Console">
      <ul className="space-y-1">
        {items.map((item) => {
          const current = pathname === item.href || pathname.startsWith(`${item.href}/`);
          const go = GO_SHORTCUTS.find((s) => s.href === item.href);
          return (
            <li key={item.href}>
              <Link
                href={item.href}
                aria-current={current ? "page" : undefined}
                aria-keyshortcuts={go ? `g ${go.key}` : undefined}
                title={go ? `Keyboard: g then ${go.key}` : undefined}
                className={cx(
                  "flex items-center rounded-md px-3 py-2 text-sm font-medium transition-colors",
                  focusRing,
                  current ? "bg-indigo-50 text-indigo-800" : "text-slate-700 hover:bg-slate-100 hover:text-slate-900",
                )}
              >
                {current ? <span aria-hidden="true" className="mr-2 -ml-1 h-4 w-1 rounded-full bg-indigo-600" /> : null}
                {item.label}
                {item.badge ? (
                  <span className="ml-auto rounded-full bg-red-600 px-2 py-0.5 text-xs font-semibold text-white" data-testid="nav-badge" aria-label={`${item.badge} open`}>
                    {item.badge}
                  </span>
                ) : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}
