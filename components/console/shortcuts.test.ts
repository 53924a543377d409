import { describe, expect, it } from "vitest";
import { goShortcutsFor, IDLE, isTypingTarget, resolveShortcut, SEQUENCE_TIMEOUT_MS, type KeyPress, type ShortcutState } from "./shortcuts";

const ALL = ["/bookings", "/inventory", "/webhooks", "/drift", "/kpis", "/audit", "/api-logs", "/admin", "/api-docs"];
const SUPPORT = ["/bookings", "/inventory", "/webhooks", "/kpis", "/audit", "/api-logs", "/api-docs"];
const body = { tagName: "BODY" };

/** Presses keys in order (1 ms apart unless told), returning the commands issued. */
function press(keys: (string | KeyPress)[], allowed = ALL, gap = 1) {
  let state: ShortcutState = IDLE;
  let now = 1_000;
  const commands: unknown[] = [];
  const handled: boolean[] = [];
  for (const k of keys) {
    const event: KeyPress = typeof k === "string" ? { key: k, target: body, shiftKey: k === "?" } : k;
    const result = resolveShortcut(event, state, now, allowed);
    state = result.state;
    handled.push(result.handled);
    if (result.command) commands.push(result.command);
    now += gap;
  }
  return { commands, handled, state };
}

describe("keyboard shortcuts", () => {
  it("/ focuses search and ? opens the list", () => {
    expect(press(["/"]).commands).toEqual([{ type: "focus-search" }]);
    expect(press(["?"]).commands).toEqual([{ type: "help" }]);
  });

  it("g then a letter goes to that screen", () => {
    expect(press(["g", "b"]).commands).toEqual([{ type: "go", href: "/bookings" }]);
    expect(press(["g", "i"]).commands).toEqual([{ type: "go", href: "/inventory" }]);
    expect(press(["g", "w"]).commands).toEqual([{ type: "go", href: "/webhooks" }]);
    expect(press(["g", "a"]).commands).toEqual([{ type: "go", href: "/audit" }]);
    expect(press(["g", "d"]).commands).toEqual([{ type: "go", href: "/drift" }]);
    expect(press(["g", "k"]).commands).toEqual([{ type: "go", href: "/kpis" }]);
    expect(press(["g", "b"]).handled).toEqual([true, true]);
  });

  it("offers only the screens the role may open", () => {
    expect(press(["g", "d"], SUPPORT).commands).toEqual([]);
    expect(goShortcutsFor(SUPPORT).map((s) => s.key)).toEqual(["b", "i", "w", "a", "k", "l"]);
    expect(goShortcutsFor(["/api-docs"])).toEqual([]);
    // With nowhere to go, "g" is an ordinary key.
    expect(press(["g"], ["/api-docs"]).handled).toEqual([false]);
  });

  it("forgets a g after the timeout, and a letter alone does nothing", () => {
    expect(press(["g", "b"], ALL, SEQUENCE_TIMEOUT_MS + 1).commands).toEqual([]);
    expect(press(["b"]).commands).toEqual([]);
    expect(press(["b"]).handled).toEqual([false]);
    // Another key ends the sequence: "g x b" is not "g b".
    expect(press(["g", "x", "b"]).commands).toEqual([]);
    expect(press(["g", "Escape"]).state).toEqual(IDLE);
  });

  it("leaves typing alone: text boxes, text areas, selects and editable regions", () => {
    for (const target of [{ tagName: "INPUT", type: "text" }, { tagName: "INPUT", type: "search" }, { tagName: "INPUT" }, { tagName: "TEXTAREA" }, { tagName: "SELECT" }, { tagName: "DIV", isContentEditable: true }]) {
      expect(isTypingTarget(target)).toBe(true);
      expect(press([{ key: "/", target }]).commands).toEqual([]);
      expect(press([{ key: "?", shiftKey: true, target }]).commands).toEqual([]);
      expect(press([{ key: "g", target }, { key: "b", target }]).commands).toEqual([]);
    }
    // A checkbox or a button does not take text.
    expect(isTypingTarget({ tagName: "INPUT", type: "checkbox" })).toBe(false);
    expect(isTypingTarget({ tagName: "BUTTON" })).toBe(false);
    expect(press([{ key: "/", target: { tagName: "BUTTON" } }]).commands).toEqual([{ type: "focus-search" }]);
  });

  it("leaves modified keys to the browser", () => {
    expect(press([{ key: "/", ctrlKey: true, target: body }]).handled).toEqual([false]);
    expect(press([{ key: "g", metaKey: true, target: body }, { key: "b", target: body }]).commands).toEqual([]);
    expect(press([{ key: "g", altKey: true, target: body }]).handled).toEqual([false]);
    expect(press([{ key: "g", target: body }, { key: "B", shiftKey: true, target: body }]).commands).toEqual([]);
  });
});
