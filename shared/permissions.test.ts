import { describe, expect, it } from "vitest";
import {
  CONSOLE_ROUTES,
  PARTNER_SCOPES,
  PERMISSIONS,
  ROLES,
  actionsFor,
  can,
  facilityScope,
  navItemsFor,
  permissionForRoute,
  permissionsOf,
  scopeDescription,
  type Permission,
  type PermissionSubject,
  type Role,
} from "./permissions";

const OWN = "11111111-1111-4111-8111-111111111111";
const OTHER = "22222222-2222-4222-8222-222222222222";

const user = (role: Role, facilityIds: string[] = []): PermissionSubject => ({ role, facilityIds });

// docs/domain.md#roles-and-permissions written out again, independently of the module:
// "all", "own" or "—".
type Cell = "all" | "own" | "—";
const EXPECTED: Record<Permission, [support: Cell, siteManager: Cell, opsLead: Cell, admin: Cell]> = {
  "booking.read": ["all", "own", "all", "all"],
  "delivery.read": ["all", "own", "all", "all"],
  "audit.read": ["all", "own", "all", "all"],
  "inventory.read": ["all", "own", "all", "all"],
  "booking.cancel": ["all", "own", "all", "all"],
  "booking.fulfil": ["—", "own", "all", "all"],
  "unit.block": ["—", "own", "all", "all"],
  "access.reveal": ["—", "own", "all", "all"],
  "delivery.replay": ["all", "—", "all", "all"],
  "delivery.bulk_replay": ["—", "—", "all", "all"],
  "endpoint.manage": ["—", "—", "all", "all"],
  "reconciliation.read": ["—", "—", "all", "all"],
  "reconciliation.run": ["—", "—", "all", "all"],
  "kpi.read": ["all", "own", "all", "all"],
  "api_log.read": ["all", "own", "all", "all"],
  "incident.read": ["all", "own", "all", "all"],
  "incident.manage": ["—", "—", "all", "all"],
  "customer.erase": ["—", "—", "all", "all"],
  "catalogue.manage": ["—", "—", "all", "all"],
  "admin.manage": ["—", "—", "—", "all"],
};

describe("permission table (docs/domain.md#roles-and-permissions)", () => {
  it("covers exactly the expected permissions", () => {
    expect([...PERMISSIONS].sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  for (const permission of Object.keys(EXPECTED) as Permission[]) {
    ROLES.forEach((role, column) => {
      const cell = EXPECTED[permission][column]!;
      it(`${role} ${cell === "—" ? "may not" : `may (${cell})`} ${permission}`, () => {
        const subject = user(role, [OWN]);
        expect(can(subject, permission)).toBe(cell !== "—");
        expect(can(subject, permission, OWN)).toBe(cell !== "—");
        expect(can(subject, permission, OTHER)).toBe(cell === "all");
      });
    });
  }

  it("a site manager with no facilities holds the permission nowhere in particular", () => {
    const manager = user("SITE_MANAGER");
    expect(can(manager, "booking.cancel")).toBe(true);
    expect(can(manager, "booking.cancel", OWN)).toBe(false);
    expect(facilityScope(manager)).toEqual([]);
  });

  it("nobody signed in may do anything", () => {
    for (const permission of PERMISSIONS) {
      expect(can(null, permission)).toBe(false);
      expect(can(undefined, permission, OWN)).toBe(false);
    }
  });
});

describe("facilityScope", () => {
  it("is the site manager's own facilities", () => {
    expect(facilityScope(user("SITE_MANAGER", [OWN, OTHER]))).toEqual([OWN, OTHER]);
  });

  it("is every facility (null) for the other roles, whatever rows they have", () => {
    for (const role of ["SUPPORT", "OPS_LEAD", "ADMIN"] as const) {
      expect(facilityScope(user(role, [OWN]))).toBeNull();
    }
  });

  it("returns a copy, so callers cannot change the user", () => {
    const manager = user("SITE_MANAGER", [OWN]);
    (facilityScope(manager) as string[]).push(OTHER);
    expect(manager.facilityIds).toEqual([OWN]);
  });
});

describe("permissionsOf", () => {
  it("lists what each role holds", () => {
    expect(permissionsOf(user("ADMIN"))).toEqual(PERMISSIONS);
    expect(permissionsOf(user("SUPPORT"))).not.toContain("admin.manage");
    expect(permissionsOf(user("SITE_MANAGER"))).toContain("unit.block");
    expect(permissionsOf(user("SITE_MANAGER"))).not.toContain("delivery.replay");
  });
});

describe("navigation", () => {
  const labels = (role: Role) => navItemsFor(user(role, [OWN])).map((item) => item.label);

  it("offers every screen of docs/architecture.md#console-screens to an admin, in order", () => {
    expect(labels("ADMIN")).toEqual(["Incidents", "Bookings", "Inventory", "Catalogue", "Webhooks", "Drift", "KPIs", "Audit", "API logs", "Admin", "API docs"]);
  });

  it("hides drift and admin from support", () => {
    expect(labels("SUPPORT")).toEqual(["Incidents", "Bookings", "Inventory", "Catalogue", "Webhooks", "KPIs", "Audit", "API logs", "API docs"]);
  });

  it("hides drift and admin from a site manager", () => {
    expect(labels("SITE_MANAGER")).toEqual(["Incidents", "Bookings", "Inventory", "Catalogue", "Webhooks", "KPIs", "Audit", "API logs", "API docs"]);
  });

  it("hides only admin from an ops lead", () => {
    expect(labels("OPS_LEAD")).toEqual(["Incidents", "Bookings", "Inventory", "Catalogue", "Webhooks", "Drift", "KPIs", "Audit", "API logs", "API docs"]);
  });

  it("derives each route's guard from the same table", () => {
    for (const route of CONSOLE_ROUTES) expect(permissionForRoute(route.href)).toBe(route.permission);
    expect(permissionForRoute("/admin")).toBe("admin.manage");
    expect(permissionForRoute("/api-docs")).toBeNull();
  });
});

describe("actionsFor", () => {
  it("offers a site manager the on-site actions only at their own facility", () => {
    const manager = user("SITE_MANAGER", [OWN]);
    expect(actionsFor(manager, OWN)).toMatchObject({ cancelBooking: true, fulfilBooking: true, blockUnit: true });
    expect(actionsFor(manager, OTHER)).toMatchObject({ cancelBooking: false, fulfilBooking: false, blockUnit: false });
    expect(actionsFor(manager)).toMatchObject({ replayDelivery: false, bulkReplay: false, manageAdmin: false });
  });

  it("offers support cancel and single replay but nothing on site", () => {
    expect(actionsFor(user("SUPPORT"), OWN)).toEqual({
      cancelBooking: true,
      fulfilBooking: false,
      blockUnit: false,
      replayDelivery: true,
      bulkReplay: false,
      manageEndpoints: false,
      runReconciliation: false,
      manageAdmin: false,
      eraseCustomer: false,
    });
  });

  it("offers an ops lead everything but administration", () => {
    const actions = actionsFor(user("OPS_LEAD"), OTHER);
    expect(Object.entries(actions).filter(([, allowed]) => !allowed).map(([name]) => name)).toEqual(["manageAdmin"]);
  });
});

describe("scope descriptions", () => {
  it("describes every partner scope and nothing else", () => {
    expect(PARTNER_SCOPES.filter((scope) => !scopeDescription(scope))).toEqual([]);
    expect(scopeDescription("bookings:delete")).toBeUndefined();
  });
});
