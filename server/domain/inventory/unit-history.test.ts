import { describe, expect, it } from "vitest";
import { summariseEvent } from "./unit-history";

describe("summariseEvent", () => {
  it("shows a pool change as its counters, cause and version", () => {
    expect(
      summariseEvent("inventory.updated", { available: 3, held: 1, booked: 0, occupied: 5, blocked: 1, total: 10, cause: "unit.blocked", inventory_version: 42 }),
    ).toBe("available 3, held 1, booked 0, occupied 5, blocked 1 · cause unit.blocked · v42");
  });

  it("shows a booking or unit event by the fields that say what happened", () => {
    expect(summariseEvent("booking.cancelled", { reference: "BK-1", status: "cancelled", cancel_reason: "moved away", cancelled_by: "operator", inventory_version: 7 })).toBe(
      "status: cancelled · cancel reason: moved away · cancelled by: operator · v7",
    );
    expect(summariseEvent("unit.blocked", { reason: "PEST", starts_at: "2026-11-21T10:00:00.000Z", ends_at: null })).toBe(
      "reason: PEST · starts at: 2026-11-21T10:00:00.000Z",
    );
    expect(summariseEvent("access.granted", {})).toBe("");
  });
});
