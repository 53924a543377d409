import { describe, expect, it } from "vitest";
import { fromUtcInput, toUtcInput } from "./audit-filters";
import { auditHref, auditTargetHref, auditTargetLabel, filterFromParams, type AuditTargetEntry, type AuditTargetRef } from "./audit-format";

const none: AuditTargetRef = { facilityCode: null, unitCode: null, unitTypeCode: null, partnerCode: null, label: null, runId: null };
const entry = (targetType: string, targetId: string | null, target: Partial<AuditTargetRef> = {}): AuditTargetEntry => ({
  targetType,
  targetId,
  target: { ...none, ...target },
});

describe("audit filter in the URL", () => {
  it("keeps what is valid and drops what cannot be a filter", () => {
    expect(
      filterFromParams({
        q: "  ada@example.com ",
        result: "DENIED",
        actorType: "PARTNER",
        action: "booking.*",
        targetType: "maintenance_block",
        targetId: "BK-7F3K2Q",
        facility: "LON-01",
        from: "2026-11-21T07:00Z",
        to: "2026-11-21T08:00:00.000Z",
      }),
    ).toEqual({
      q: "ada@example.com",
      result: "DENIED",
      actorType: "PARTNER",
      action: "booking.*",
      targetType: "maintenance_block",
      targetId: "BK-7F3K2Q",
      facilityCode: "LON-01",
      from: "2026-11-21T07:00:00.000Z",
      to: "2026-11-21T08:00:00.000Z",
    });
    expect(
      filterFromParams({ result: "MAYBE", actorType: "ROBOT", action: "drop table", targetType: "a b", facility: "../x", from: "yesterday", q: "  " }),
    ).toEqual({});
    // A range that ends before it starts keeps its start only.
    expect(filterFromParams({ from: "2026-11-21T08:00Z", to: "2026-11-21T07:00Z" })).toEqual({ from: "2026-11-21T08:00:00.000Z" });
    expect(filterFromParams({ result: ["DENIED", "SUCCESS"] })).toEqual({ result: "DENIED" });
  });

  it("builds shareable links and reads UTC time boxes", () => {
    expect(auditHref({})).toBe("/audit");
    expect(auditHref({ result: "DENIED", actor: "support@demo.holdfast", q: null })).toBe("/audit?actor=support%40demo.holdfast&result=DENIED");
    expect(toUtcInput("2026-11-21T07:46:00.000Z")).toBe("2026-11-21T07:46");
    expect(fromUtcInput("2026-11-21T07:46")).toBe("2026-11-21T07:46:00.000Z");
    expect(fromUtcInput("")).toBeNull();
  });
});

describe("audit targets", () => {
  it("links every target to where the console shows it", () => {
    expect(auditTargetHref(entry("booking", "BK-7F3K2Q", { facilityCode: "LON-01" }))).toBe("/bookings/BK-7F3K2Q");
    expect(auditTargetHref(entry("maintenance_block", "3f…", { facilityCode: "LON-01", unitCode: "B-114" }))).toBe("/inventory/LON-01?unit=B-114");
    expect(auditTargetHref(entry("unit", "B-114", { facilityCode: "LON-01", unitCode: "B-114" }))).toBe("/inventory/LON-01?unit=B-114");
    expect(auditTargetHref(entry("inventory_pool", "p", { facilityCode: "LON-01", unitTypeCode: "10X10-CC" }))).toBe("/inventory/LON-01?type=10X10-CC");
    expect(auditTargetHref(entry("webhook_endpoint", "ep_01"))).toBe("/webhooks/endpoints/ep_01");
    expect(auditTargetHref(entry("webhook_delivery", "msg_01"))).toBe("/webhooks/deliveries/msg_01");
    expect(auditTargetHref(entry("partner", "uuid", { partnerCode: "MARKETPLACE" }))).toBe("/admin?tab=keys&partner=MARKETPLACE");
    expect(auditTargetHref(entry("api_key", "uuid", { partnerCode: "WEBSITE", label: "hf_demo_web" }))).toBe("/admin?tab=keys&partner=WEBSITE");
    expect(auditTargetHref(entry("user", "uuid", { label: "ada@example.com" }))).toBe("/admin?tab=users");
    expect(auditTargetHref(entry("event", "evt_01"))).toBe("/webhooks?q=evt_01");
    expect(auditTargetHref(entry("replay_job", "uuid"))).toBe("/webhooks");
    expect(auditTargetHref(entry("reconciliation_run", "rec_01", { runId: "rec_01" }))).toBe("/drift/rec_01");
    expect(auditTargetHref(entry("discrepancy", "uuid", { runId: "rec_02" }))).toBe("/drift/rec_02");
  });

  it("links nothing that has no page or is gone", () => {
    expect(auditTargetHref(entry("permission", "admin.manage"))).toBeNull();
    expect(auditTargetHref(entry("database", "demo"))).toBeNull();
    expect(auditTargetHref(entry("maintenance_block", "gone"))).toBeNull();
    expect(auditTargetHref(entry("discrepancy", "gone"))).toBeNull();
  });

  it("names targets as people know them", () => {
    expect(auditTargetLabel(entry("maintenance_block", "3f…", { facilityCode: "LON-01", unitCode: "B-114" }))).toBe("LON-01 · B-114");
    expect(auditTargetLabel(entry("api_key", "uuid", { partnerCode: "WEBSITE", label: "hf_demo_web" }))).toBe("WEBSITE · hf_demo_web");
    expect(auditTargetLabel(entry("user", "uuid", { label: "ada@example.com" }))).toBe("ada@example.com");
    expect(auditTargetLabel(entry("permission", "admin.manage"))).toBe("admin.manage");
    expect(auditTargetLabel(entry("maintenance_block", "3f00"))).toBe("3f00");
  });
});
