import { describe, expect, it } from "vitest";
import { parseConfig } from "../../config";

const parseReconcileConfig = (source: Record<string, string>) => parseConfig(source).reconcile;
import { counterDrift, needsApproval } from "@/shared/discrepancy-kinds";

const facts = { total: 10, available: 6, held: 1, booked: 1, occupied: 2, blocked: 0 };

describe("which corrections need an ops lead's approval", () => {
  it("counters: within the tolerance no, beyond it yes", () => {
    const offByOne = { ...facts, available: 5, held: 2, inventory_version: 7 };
    const offByThree = { ...facts, available: 3, booked: 4 };
    expect(counterDrift(facts, offByOne)).toBe(1);
    expect(counterDrift(facts, offByThree)).toBe(3);
    expect(needsApproval({ kind: "POOL_COUNTER", expected: facts, actual: offByOne }, 1)).toBe(false);
    expect(needsApproval({ kind: "POOL_COUNTER", expected: facts, actual: offByThree }, 1)).toBe(true);
    expect(needsApproval({ kind: "POOL_COUNTER", expected: facts, actual: offByThree }, 3)).toBe(false);
    expect(needsApproval({ kind: "POOL_COUNTER", expected: facts, actual: offByOne }, 0)).toBe(true);
  });

  it("holdable units: the gap between what the pool advertises and what a hold can take, against the tolerance", () => {
    const oneTooMany = { expected: { available: 3 }, actual: { available: 4, inventory_version: 9, unholdable_units: ["A-100"] } };
    const threeTooFew = { expected: { available: 5 }, actual: { available: 2, inventory_version: 9, unholdable_units: [] } };
    expect(needsApproval({ kind: "HOLDABLE", ...oneTooMany }, 1)).toBe(false);
    expect(needsApproval({ kind: "HOLDABLE", ...oneTooMany }, 0)).toBe(true);
    expect(needsApproval({ kind: "HOLDABLE", ...threeTooFew }, 1)).toBe(true);
    expect(needsApproval({ kind: "HOLDABLE", ...threeTooFew }, 3)).toBe(false);
  });

  it("access and booking-state changes always; partner re-announcements never; a unit move unless the tolerance is 0", () => {
    expect(needsApproval({ kind: "ACCESS_GRANT", expected: {}, actual: {} }, 100)).toBe(true);
    expect(needsApproval({ kind: "EXPIRED_HOLD", expected: {}, actual: {} }, 100)).toBe(true);
    expect(needsApproval({ kind: "PARTNER_SNAPSHOT", expected: {}, actual: {} }, 0)).toBe(false);
    expect(needsApproval({ kind: "PARTNER_VERSION", expected: {}, actual: {} }, 0)).toBe(false);
    expect(needsApproval({ kind: "UNIT_STATUS", expected: {}, actual: {} }, 1)).toBe(false);
    expect(needsApproval({ kind: "UNIT_STATUS", expected: {}, actual: {} }, 0)).toBe(true);
  });
});

describe("reconciliation settings", () => {
  it("has defaults: every 15 minutes, tolerance 1, auto-correct on, 5-minute graces", () => {
    expect(parseReconcileConfig({})).toEqual({
      cron: "*/15 * * * *",
      counterTolerance: 1,
      autoCorrect: true,
      holdGraceSeconds: 300,
      ackGraceSeconds: 300,
      poolBatch: 500,
    });
  });

  it("reads the environment and refuses bad values in one sentence", () => {
    expect(parseReconcileConfig({ HOLDFAST_RECONCILE_CRON: "0 * * * *", HOLDFAST_RECONCILE_AUTO_CORRECT: "0", HOLDFAST_RECONCILE_COUNTER_TOLERANCE: "3" })).toMatchObject({
      cron: "0 * * * *",
      autoCorrect: false,
      counterTolerance: 3,
    });
    expect(() => parseReconcileConfig({ HOLDFAST_RECONCILE_CRON: "every minute" })).toThrow(
      "Configuration error: HOLDFAST_RECONCILE_CRON must be a 5-field cron expression.",
    );
    expect(() => parseReconcileConfig({ HOLDFAST_RECONCILE_COUNTER_TOLERANCE: "-1" })).toThrow(/HOLDFAST_RECONCILE_COUNTER_TOLERANCE/);
  });
});
