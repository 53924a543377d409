import { describe, expect, it } from "vitest";
import { CAPABILITIES, PARTNER_SCOPES, PERMISSION_TABLE, ROLES, type Capability } from "@/shared/permissions";
import { actorForUser, type Actor } from "./actor";
import { holds, inFacilityScope } from "./authorize";

const user = (role: (typeof ROLES)[number], facilityIds: string[] = []): Actor =>
  actorForUser({ id: "u", email: "u", role, facilityIds }, { correlationId: "c" });
const partner = (scopes: Actor["scopes"], facilityIds: string[] | null = null): Actor => ({
  type: "PARTNER",
  id: "p",
  label: "P",
  scopes,
  facilityIds,
  correlationId: "c",
});

describe("one capability vocabulary", () => {
  it("every capability a role holds is exactly what its permission grants that role", () => {
    const wrong: string[] = [];
    for (const role of ROLES) {
      for (const capability of Object.keys(CAPABILITIES) as Capability[]) {
        const permission = CAPABILITIES[capability].permission;
        const expected = permission !== null && (PERMISSION_TABLE[permission] as Partial<Record<string, string>>)[role] !== undefined;
        if (holds(user(role), capability) !== expected) wrong.push(`${role} ${capability}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it("a partner holds a capability only through its scope", () => {
    expect(holds(partner(["bookings:write"]), "booking.hold")).toBe(true);
    expect(holds(partner(["bookings:write"]), "booking.cancel")).toBe(true);
    expect(holds(partner(["bookings:read"]), "booking.cancel")).toBe(false);
    expect(holds(partner(["webhooks:manage"]), "endpoint.manage")).toBe(true);
    // no scope grants the operator's own work
    const operatorOnly = (Object.keys(CAPABILITIES) as Capability[]).filter((c) => holds(partner([...PARTNER_SCOPES]), c) === false);
    expect(operatorOnly.sort()).toEqual(
      ["access.regenerate", "admin.manage", "audit.read", "catalogue.manage", "customer.erase", "delivery.bulk_replay", "delivery.read", "delivery.replay", "endpoint.operate", "incident.manage", "incident.read", "kpi.read", "reconciliation.read", "reconciliation.run", "unit.block"].sort(),
    );
  });

  it("users never hold the partner-only capabilities; the system holds everything; the payment provider confirms and cancels", () => {
    for (const role of ROLES) {
      expect([holds(user(role), "booking.hold"), holds(user(role), "booking.confirm"), holds(user(role), "availability.snapshot")]).toEqual([false, false, false]);
    }
    const system: Actor = { type: "SYSTEM", id: "job", label: "system:job", scopes: [], facilityIds: null, correlationId: "c" };
    expect((Object.keys(CAPABILITIES) as Capability[]).filter((c) => !holds(system, c))).toEqual([]);
    const provider: Actor = { type: "PAYMENT_PROVIDER", id: "pay", label: "pay", scopes: [], facilityIds: null, correlationId: "c" };
    expect((Object.keys(CAPABILITIES) as Capability[]).filter((c) => holds(provider, c)).sort()).toEqual(["booking.cancel", "booking.confirm"]);
  });

  it("facility scope: a site manager's own facilities, an API key's limits, everyone else all", () => {
    expect(inFacilityScope(user("SITE_MANAGER", ["f1"]), "f1")).toBe(true);
    expect(inFacilityScope(user("SITE_MANAGER", ["f1"]), "f2")).toBe(false);
    expect(inFacilityScope(user("SUPPORT"), "f2")).toBe(true);
    expect(inFacilityScope(partner(["bookings:write"], ["f1"]), "f2")).toBe(false);
    expect(inFacilityScope(partner(["bookings:write"]), "f2")).toBe(true);
  });
});
