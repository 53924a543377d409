import Link from "next/link";
import type { ReactNode } from "react";
import { Badge } from "@/components/ui/badge";
import { focusRing } from "@/components/ui/focus";
import { cx } from "@/components/ui/cx";
import { ConsoleNav, type NavItem } from "./console-nav";
import { KeyboardShortcuts } from "./keyboard-shortcuts";
import { SignOutButton } from "./sign-out-button";

export interface ShellUser {
  name: string;
  email: string;
  roleLabel: string;
  /** e.g. "All facilities", "LON-01" */
  scopeLabel: string;
}

/** The console frame: top bar with who is signed in, left navigation, main content; keyboard shortcuts everywhere. */
export function ConsoleShell({ user, nav, notice, children }: { user: ShellUser; nav: NavItem[]; notice?: ReactNode; children: ReactNode }) {
  return (
    <div className="min-h-screen">
      <a
        href="#main"
        className="sr-only z-50 rounded-md bg-white px-3 py-2 text-sm font-medium text-indigo-800 focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:outline-2 focus:outline-indigo-600"
      >
        Skip to content
      </a>
      <header className="sticky top-0 z-20 flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-5">
        <Link href="/inventory" className={cx("flex items-center gap-2 rounded-md font-semibold text-slate-900", focusRing)}>
          <span aria-hidden="true" className="grid h-7 w-7 place-items-center rounded-md bg-indigo-700 text-sm font-bold text-white">
            H
          </span>
          Holdfast
          <span className="hidden text-sm font-normal text-slate-500 sm:inline">Operations console</span>
        </Link>
        <div className="flex min-w-0 items-center gap-4">
          <div className="flex min-w-0 items-center gap-2 text-sm" data-testid="current-user">
            <span className="truncate font-medium text-slate-900" title={user.email}>
              {user.name}
            </span>
            <Badge tone="info">{user.roleLabel}</Badge>
            <Badge tone="neutral" title="Facilities you can see">
              <span className="sr-only">Facility scope: </span>
              {user.scopeLabel}
            </Badge>
          </div>
          <KeyboardShortcuts routes={nav.map((item) => item.href)} />
          <SignOutButton />
        </div>
      </header>
      <div className="flex">
        <aside className="w-44 shrink-0 border-r border-slate-200 bg-white">
          <div className="sticky top-14 max-h-[calc(100vh-3.5rem)] overflow-y-auto p-3">
            <ConsoleNav items={nav} />
          </div>
        </aside>
        <main id="main" tabIndex={-1} className="min-h-[calc(100vh-3.5rem)] min-w-0 flex-1 px-5 py-6 focus:outline-none xl:px-8">
          <div className="mx-auto max-w-[1680px]">
            {notice}
            {children}
          </div>
        </main>
      </div>
    </div>
  );
}
