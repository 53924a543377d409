/**
 * The console's keyboard shortcuts, as pure functions of a key press (unit tested):
 *   /        focus the page's search box (the element marked data-shortcut="search")
 *   ?        list the shortcuts
 *   g then x go to a screen: b bookings, i inventory, w webhooks, a audit, d drift, k KPIs, l API logs, c catalogue
 * Nothing fires while the user types in a field or holds Ctrl, ⌘ or Alt, so browser
 * and screen-reader keys keep working.
 */

export const GO_SHORTCUTS = [
  { key: "b", href: "/bookings", label: "Bookings" },
  { key: "i", href: "/inventory", label: "Inventory" },
  { key: "w", href: "/webhooks", label: "Webhooks" },
  { key: "a", href: "/audit", label: "Audit" },
  { key: "d", href: "/drift", label: "Drift" },
  { key: "k", href: "/kpis", label: "KPIs" },
  { key: "l", href: "/api-logs", label: "API logs" },
  { key: "c", href: "/catalogue", label: "Catalogue" },
] as const;

export type GoShortcut = (typeof GO_SHORTCUTS)[number];

/** How long after "g" the second key still counts. */
export const SEQUENCE_TIMEOUT_MS = 1500;

export interface KeyPress {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  shiftKey?: boolean;
  /** what has the focus (the event's target) */
  target?: TargetInfo | null;
}

export interface TargetInfo {
  tagName?: string;
  /** an <input>'s type */
  type?: string;
  isContentEditable?: boolean;
}

export type ShortcutCommand = { type: "focus-search" } | { type: "help" } | { type: "go"; href: string };

export interface ShortcutState {
  /** when "g" was pressed, if a second key is awaited */
  pendingSince: number | null;
}

export const IDLE: ShortcutState = { pendingSince: null };

/** Input types that do not take typed text: shortcuts still work while they have the focus. */
const NON_TEXT_INPUTS = new Set(["button", "checkbox", "color", "file", "image", "radio", "range", "reset", "submit"]);

/** Whether keys pressed now are the user's typing (a text box, a list box, an editable region). */
export function isTypingTarget(target: TargetInfo | null | undefined): boolean {
  if (!target) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName?.toUpperCase();
  if (tag === "TEXTAREA" || tag === "SELECT") return true;
  if (tag === "INPUT") return !NON_TEXT_INPUTS.has((target.type ?? "text").toLowerCase());
  return false;
}

/** The go-to shortcuts for the screens the user may open (their navigation). */
export function goShortcutsFor(allowedHrefs: readonly string[]): GoShortcut[] {
  return GO_SHORTCUTS.filter((s) => allowedHrefs.includes(s.href));
}

/**
 * What a key press does, and the state after it. `command` null: not a shortcut (the
 * browser keeps the key). `handled`: the key belonged to a shortcut (prevent its default).
 */
export function resolveShortcut(
  press: KeyPress,
  state: ShortcutState,
  now: number,
  allowedHrefs: readonly string[],
): { command: ShortcutCommand | null; handled: boolean; state: ShortcutState } {
  const none = { command: null, handled: false, state: IDLE };
  if (press.ctrlKey || press.metaKey || press.altKey) return none;
  if (isTypingTarget(press.target)) return none;

  const pending = state.pendingSince !== null && now - state.pendingSince <= SEQUENCE_TIMEOUT_MS;
  if (pending) {
    const go = press.shiftKey ? undefined : goShortcutsFor(allowedHrefs).find((s) => s.key === press.key.toLowerCase());
    // Any other key ends the sequence; Escape and stray keys are swallowed quietly.
    return go ? { command: { type: "go", href: go.href }, handled: true, state: IDLE } : { ...none, handled: press.key === "Escape" };
  }

  if (press.key === "?") return { command: { type: "help" }, handled: true, state: IDLE };
  if (press.key === "/" && !press.shiftKey) return { command: { type: "focus-search" }, handled: true, state: IDLE };
  if ((press.key === "g" || press.key === "G") && !press.shiftKey && goShortcutsFor(allowedHrefs).length > 0) {
    return { command: null, handled: true, state: { pendingSince: now } };
  }
  return none;
}
