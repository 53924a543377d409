import { describe, expect, it } from "vitest";
import { DomainError } from "@/server/domain/shared/errors";
import { BlockUnitInput } from "./block-unit";
import { occupantOf, overlapsMoveIn } from "./block-occupant";
import type { UnitForBlock } from "./maintenance-blocks";
import { parseOrRefuse } from "@/server/domain/shared/validation";

const unit = {
  id: "u1",
  code: "B-114",
  facility_id: "f1",
  facility_code: "LON-01",
  facility_timezone: "Europe/London",
  pool_id: "p1",
  unit_type_code: "10X10-CC",
};

function state(status: UnitForBlock["unit"]["status"], booking: UnitForBlock["booking"] = null): UnitForBlock {
  return { unit: { ...unit, status }, booking, activeBlocks: [] };
}

const now = new Date("2026-03-10T12:00:00Z");
const openEnded = { startsAt: now, endsAt: null };

describe("overlapsMoveIn", () => {
  it("counts facility-local days from the block's start up to (not including) its end", () => {
    const window = { startsAt: new Date("2026-03-10T09:00:00Z"), endsAt: new Date("2026-03-12T00:00:00Z") };
    expect(overlapsMoveIn("2026-03-09", window, "Europe/London")).toBe(false);
    expect(overlapsMoveIn("2026-03-10", window, "Europe/London")).toBe(true);
    expect(overlapsMoveIn("2026-03-11", window, "Europe/London")).toBe(true);
    // ends at local midnight: the 12th is not covered
    expect(overlapsMoveIn("2026-03-12", window, "Europe/London")).toBe(false);
    expect(overlapsMoveIn("2030-01-01", openEnded, "Europe/London")).toBe(true);
  });

  it("uses the facility's time zone, not UTC", () => {
    // 23:30 UTC on the 10th is already the 11th in Sydney
    const window = { startsAt: new Date("2026-03-10T23:30:00Z"), endsAt: null };
    expect(overlapsMoveIn("2026-03-10", window, "Australia/Sydney")).toBe(false);
    expect(overlapsMoveIn("2026-03-10", window, "America/New_York")).toBe(true);
  });
});

describe("occupantOf", () => {
  const booking = (status: "TENTATIVE" | "CONFIRMED" | "FULFILLED", holdExpiresAt = new Date(now.getTime() + 60_000)) => ({
    id: "b1",
    reference: "BK-7F3K2Q",
    status,
    partner_id: "p",
    facility_id: "f1",
    move_in_date: "2026-03-20",
    hold_expires_at: holdExpiresAt,
  });

  it("finds nothing on an available unit", () => {
    expect(occupantOf(state("AVAILABLE"), openEnded, now)).toBeNull();
  });

  it("names the booking, and only a live hold or confirmed booking can be moved", () => {
    const held = occupantOf(state("HELD", booking("TENTATIVE")), openEnded, now)!;
    expect(held.movable).toBe(true);
    expect(held.refusal.code).toBe("CONFLICT");
    expect(held.refusal.context).toMatchObject({ booking_reference: "BK-7F3K2Q", booking_status: "tentative", move_in_date: "2026-03-20" });

    const booked = occupantOf(state("BOOKED", booking("CONFIRMED")), openEnded, now)!;
    expect(booked).toMatchObject({ movable: true });
    expect(booked.refusal.context).toMatchObject({ booking_status: "confirmed", overlaps_move_in: true });

    const occupied = occupantOf(state("OCCUPIED", booking("FULFILLED")), openEnded, now)!;
    expect(occupied.movable).toBe(false);
    expect(occupied.refusal.context).toMatchObject({ booking_status: "fulfilled", can_move: false });

    const lapsed = occupantOf(state("HELD", booking("TENTATIVE", new Date(now.getTime() - 1))), openEnded, now)!;
    expect(lapsed.movable).toBe(false);
    expect(lapsed.refusal.context).toMatchObject({ booking_status: "expired" });
  });

  it("refuses a held unit with no booking behind it (drift) without naming one", () => {
    const drift = occupantOf(state("HELD"), openEnded, now)!;
    expect(drift).toMatchObject({ booking: null, movable: false });
    expect(drift.refusal.context).toEqual({ unit_code: "B-114", unit_status: "held" });
  });
});

describe("BlockUnitInput", () => {
  const base = { facility_code: "LON-01", unit_code: "B-114", reason: "DAMAGE" };

  it("applies defaults", () => {
    expect(parseOrRefuse(BlockUnitInput, base)).toEqual({ ...base, note: "", move_conflicting_booking: false });
  });

  it("refuses unknown fields, bad reasons, long notes, local times and an end before the start, with field errors", () => {
    const bad = [
      { ...base, unit_id: "x" },
      { ...base, reason: "BROKEN" },
      { ...base, note: "n".repeat(1001) },
      { ...base, starts_at: "2026-03-10T12:00:00" },
      { ...base, starts_at: "2026-03-10T12:00:00Z", ends_at: "2026-03-10T11:00:00Z" },
    ];
    for (const input of bad) {
      let error: unknown;
      try {
        parseOrRefuse(BlockUnitInput, input);
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(DomainError);
      expect((error as DomainError).code).toBe("VALIDATION_FAILED");
      expect((error as DomainError).fieldErrors?.length).toBeGreaterThan(0);
    }
  });
});
