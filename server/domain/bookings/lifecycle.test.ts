import { describe, expect, it } from "vitest";
import { allowedActions, checkTransition, effectiveStatus } from "./lifecycle";

describe("booking lifecycle", () => {
  it("allows exactly the moves of docs/domain.md#booking-lifecycle", () => {
    expect(checkTransition("TENTATIVE", "confirm")).toEqual({ kind: "apply" });
    expect(checkTransition("TENTATIVE", "cancel")).toEqual({ kind: "apply" });
    expect(checkTransition("CONFIRMED", "fulfil")).toEqual({ kind: "apply" });
    expect(checkTransition("CONFIRMED", "cancel")).toEqual({ kind: "apply" });
    expect(checkTransition("FULFILLED", "cancel")).toEqual({ kind: "apply" });
    expect(checkTransition("FULFILLED", "move_out")).toEqual({ kind: "apply" });
  });

  it("treats repeats as no-ops", () => {
    expect(checkTransition("CONFIRMED", "confirm")).toEqual({ kind: "no-op" });
    expect(checkTransition("CANCELLED", "cancel")).toEqual({ kind: "no-op" });
    expect(checkTransition("EXPIRED", "cancel")).toEqual({ kind: "no-op" });
    expect(checkTransition("FULFILLED", "fulfil")).toEqual({ kind: "no-op" });
    expect(checkTransition("MOVED_OUT", "move_out")).toEqual({ kind: "no-op" });
    expect(checkTransition("MOVED_OUT", "cancel")).toEqual({ kind: "no-op" });
  });

  it("refuses everything else, naming what is allowed", () => {
    expect(checkTransition("TENTATIVE", "fulfil")).toEqual({ kind: "invalid", allowed: ["confirm", "cancel"] });
    expect(checkTransition("FULFILLED", "confirm")).toEqual({ kind: "invalid", allowed: ["move_out", "cancel"] });
    expect(checkTransition("CONFIRMED", "move_out")).toEqual({ kind: "invalid", allowed: ["fulfil", "cancel"] });
    expect(checkTransition("MOVED_OUT", "confirm")).toEqual({ kind: "invalid", allowed: [] });
    expect(checkTransition("CANCELLED", "confirm")).toEqual({ kind: "invalid", allowed: [] });
    expect(checkTransition("EXPIRED", "fulfil")).toEqual({ kind: "invalid", allowed: [] });
    expect(allowedActions("EXPIRED")).toEqual([]);
  });

  it("reads a tentative booking past its hold as expired", () => {
    const now = new Date("2026-01-01T12:00:00Z");
    expect(effectiveStatus({ status: "TENTATIVE", holdExpiresAt: new Date("2026-01-01T11:59:59Z") }, now)).toBe("EXPIRED");
    expect(effectiveStatus({ status: "TENTATIVE", holdExpiresAt: new Date("2026-01-01T12:00:01Z") }, now)).toBe("TENTATIVE");
    expect(effectiveStatus({ status: "CONFIRMED", holdExpiresAt: new Date("2026-01-01T11:00:00Z") }, now)).toBe("CONFIRMED");
  });
});
