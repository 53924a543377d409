import { describe, expect, it } from "vitest";
import type { Measurement } from "./read-signals";
import { toConditions, type RuleOverride } from "./thresholds";

const endpoint = (value: number): Measurement => ({
  rule: "endpoint_failing",
  subjectType: "endpoint",
  subjectId: "ep_1",
  subjectLabel: "P endpoint ep_1",
  facilityId: null,
  partnerId: "partner-1",
  value,
  summary: "",
  detail: {},
});

const override = (o: Partial<RuleOverride>): RuleOverride => ({ rule: "endpoint_failing", scopeType: "ENDPOINT", scopeId: "ep_1", threshold: null, severity: null, enabled: true, ...o });

describe("thresholds (docs/operations.md#alerts-and-incidents)", () => {
  it("applies the default threshold, severity and escalation point", () => {
    expect(toConditions([endpoint(3)], [])).toEqual([]);
    expect(toConditions([endpoint(4)], []).map((c) => c.severity)).toEqual(["HIGH"]);
    expect(toConditions([endpoint(50)], []).map((c) => c.severity)).toEqual(["CRITICAL"]);
  });

  it("lets the most specific override win: endpoint over partner", () => {
    const overrides = [override({ scopeType: "PARTNER", scopeId: "partner-1", threshold: 2 }), override({ threshold: 10 })];
    expect(toConditions([endpoint(6)], overrides)).toEqual([]);
    expect(toConditions([endpoint(3)], [overrides[0]!]).map((c) => c.threshold)).toEqual([2]);
  });

  it("a disabled override silences the rule; a fixed severity is not escalated", () => {
    expect(toConditions([endpoint(100)], [override({ enabled: false })])).toEqual([]);
    expect(toConditions([endpoint(100)], [override({ severity: "LOW" })]).map((c) => c.severity)).toEqual(["LOW"]);
  });
});
