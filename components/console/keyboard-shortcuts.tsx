"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { Dialog, DialogBody } from "@/components/ui/dialog";
import { cx } from "@/components/ui/cx";
import { focusRing } from "@/components/ui/focus";
import { goShortcutsFor, IDLE, resolveShortcut, type ShortcutState } from "./shortcuts";

function Key({ children }: { children: string }) {
  return (
    <kbd className="inline-flex min-w-6 items-center justify-center rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs font-semibold text-slate-800 shadow-[0_1px_0_rgb(203_213_225)]">
      {children}
    </kbd>
  );
}

/** The page's search box, if it has one (convention: data-shortcut="search"). */
function searchBox(): HTMLElement | null {
  return document.querySelector<HTMLElement>('[data-shortcut="search"]');
}

/**
 * Listens for the console's shortcuts (./shortcuts.ts) on every console page, and
 * shows their list on "?" or from the header's button. `routes` are the screens the
 * user's navigation offers; "g" goes only there.
 */
export function KeyboardShortcuts({ routes }: { routes: readonly string[] }) {
  const router = useRouter();
  const [helpOpen, setHelpOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const state = useRef<ShortcutState>(IDLE);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const clearPending = useCallback(() => {
    if (timer.current) clearTimeout(timer.current);
    timer.current = null;
    setPending(false);
  }, []);

  useEffect(() => {
    function onKeyDown(event: KeyboardEvent) {
      if (event.defaultPrevented || event.isComposing) return;
      // A dialog is open (this list or any other): its keys are its own.
      if (document.querySelector("dialog[open]")) return;
      const target = event.target instanceof HTMLElement ? event.target : null;
      const result = resolveShortcut(
        {
          key: event.key,
          ctrlKey: event.ctrlKey,
          metaKey: event.metaKey,
          altKey: event.altKey,
          shiftKey: event.shiftKey,
          target: target ? { tagName: target.tagName, type: (target as HTMLInputElement).type, isContentEditable: target.isContentEditable } : null,
        },
        state.current,
        Date.now(),
        routes,
      );
      state.current = result.state;
      if (result.state.pendingSince !== null) {
        setPending(true);
        if (timer.current) clearTimeout(timer.current);
        timer.current = setTimeout(() => {
          state.current = IDLE;
          setPending(false);
        }, 1500);
      } else {
        clearPending();
      }
      const command = result.command;
      if (!command) {
        if (result.handled) event.preventDefault();
        return;
      }
      if (command.type === "focus-search") {
        const box = searchBox();
        if (!box) return;
        event.preventDefault();
        box.focus();
        if (box instanceof HTMLInputElement) box.select();
      } else if (command.type === "help") {
        event.preventDefault();
        setHelpOpen(true);
      } else {
        event.preventDefault();
        router.push(command.href);
      }
    }
    document.addEventListener("keydown", onKeyDown);
    return () => {
      document.removeEventListener("keydown", onKeyDown);
      if (timer.current) clearTimeout(timer.current);
    };
  }, [routes, router, clearPending]);

  // Keep Tab inside the open list: the native modal dialog would let it leave for the browser's own controls.
  useEffect(() => {
    if (!helpOpen) return;
    function onTab(event: KeyboardEvent) {
      if (event.key !== "Tab") return;
      const dialog = document.querySelector<HTMLDialogElement>('dialog[open][data-testid="shortcuts-dialog"]');
      if (!dialog) return;
      const focusable = [...dialog.querySelectorAll<HTMLElement>('a[href], button:not([disabled]), [tabindex]:not([tabindex="-1"])')];
      if (focusable.length === 0) return;
      const first = focusable[0]!;
      const last = focusable.at(-1)!;
      const active = document.activeElement;
      if (event.shiftKey ? active === first || !dialog.contains(active) : active === last || !dialog.contains(active)) {
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      }
    }
    document.addEventListener("keydown", onTab);
    return () => document.removeEventListener("keydown", onTab);
  }, [helpOpen]);

  const goes = goShortcutsFor(routes);

  return (
    <>
      <button
        type="button"
        onClick={() => setHelpOpen(true)}
        aria-keyshortcuts="Shift+?"
        className={cx(
          "grid h-8 w-8 place-items-center rounded-md border border-slate-300 bg-white text-sm font-semibold text-slate-700 shadow-sm hover:bg-slate-50",
          focusRing,
        )}
        title="Keyboard shortcuts (?)"
        data-testid="shortcuts-button"
      >
        <span aria-hidden="true">?</span>
        <span className="sr-only">Keyboard shortcuts</span>
      </button>
      <div aria-live="polite" className="sr-only">
        {pending ? "Go to: press a letter" : ""}
      </div>
      {pending && goes.length ? (
        <div
          aria-hidden="true"
          data-testid="shortcut-pending"
          className="fixed right-4 bottom-4 z-30 flex items-center gap-2 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm text-slate-700 shadow-lg"
        >
          <Key>g</Key>
          <span>then</span>
          {goes.map((g) => (
            <span key={g.key} className="inline-flex items-center gap-1">
              <Key>{g.key}</Key>
              <span className="text-xs text-slate-500">{g.label}</span>
            </span>
          ))}
        </div>
      ) : null}
      <Dialog open={helpOpen} onClose={() => setHelpOpen(false)} title="Keyboard shortcuts" data-testid="shortcuts-dialog">
        <DialogBody>
          <p className="text-sm text-slate-600">They work anywhere in the console, except while you type in a field.</p>
          <section aria-labelledby="shortcuts-general">
            <h3 id="shortcuts-general" className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
              General
            </h3>
            <dl className="mt-2 divide-y divide-slate-100 text-sm">
              <ShortcutRow keys={["/"]} label="Focus the page's search box" />
              <ShortcutRow keys={["?"]} label="Show these shortcuts" />
              <ShortcutRow keys={["Esc"]} label="Close a dialog" />
            </dl>
          </section>
          {goes.length ? (
            <section aria-labelledby="shortcuts-go">
              <h3 id="shortcuts-go" className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
                Go to
              </h3>
              <dl className="mt-2 divide-y divide-slate-100 text-sm">
                {goes.map((g) => (
                  <ShortcutRow key={g.key} keys={["g", g.key]} then label={g.label} />
                ))}
              </dl>
            </section>
          ) : null}
        </DialogBody>
      </Dialog>
    </>
  );
}

function ShortcutRow({ keys, label, then = false }: { keys: string[]; label: string; then?: boolean }) {
  return (
    <div className="flex items-center justify-between gap-4 py-2" data-testid="shortcut-row">
      <dt className="text-slate-800">{label}</dt>
      <dd className="flex shrink-0 items-center gap-1.5 text-xs text-slate-500">
        {keys.map((k, i) => (
          <span key={k} className="inline-flex items-center gap-1.5">
            {i > 0 ? <span>{then ? "then" : "+"}</span> : null}
            <Key>{k}</Key>
          </span>
        ))}
      </dd>
    </div>
  );
}
