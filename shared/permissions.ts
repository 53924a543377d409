/**
 * The permission table of docs/domain.md#roles-and-permissions, in one place. Server guards
 * (tRPC procedures, server actions, page guards) and what the console shows are both
 * derived from it.
 *
 * Pure and free of server imports, so client components may import it too.
 *
 * A grant is "all" (every facility), "own" (only the facilities the user is assigned
 * to: a site manager's UserFacility rows) or absent. Scope is enforced by the domain
 * queries (the user's facility ids go into the `where`); `can()` answers whether the
 * user may do the thing at all, and — given a facility — whether they may do it there.
 */

export const ROLES = ["SUPPORT", "SITE_MANAGER", "OPS_LEAD", "ADMIN"] as const;
export type Role = (typeof ROLES)[number];

export const ROLE_LABELS: Record<Role, string> = {
  SUPPORT: "Support",
  SITE_MANAGER: "Site manager",
  OPS_LEAD: "Ops lead",
  ADMIN: "Admin",
};

type Grant = "all" | "own";
type Grants = Partial<Record<Role, Grant>>;

const EVERYONE_OWN_FOR_SITE_MANAGER: Grants = { SUPPORT: "all", SITE_MANAGER: "own", OPS_LEAD: "all", ADMIN: "all" };

/** docs/domain.md#roles-and-permissions, row by row. */
export const PERMISSION_TABLE = {
  // read bookings, timelines, deliveries, audit — all | own facilities | all | all
  "booking.read": EVERYONE_OWN_FOR_SITE_MANAGER,
  "delivery.read": EVERYONE_OWN_FOR_SITE_MANAGER,
  "audit.read": EVERYONE_OWN_FOR_SITE_MANAGER,
  // the inventory board: everyone reads it, a site manager for their own facilities
  "inventory.read": EVERYONE_OWN_FOR_SITE_MANAGER,
  // cancel booking — yes | own facilities | yes | yes
  "booking.cancel": EVERYONE_OWN_FOR_SITE_MANAGER,
  // fulfil booking (move-in) — — | own facilities | yes | yes
  "booking.fulfil": { SITE_MANAGER: "own", OPS_LEAD: "all", ADMIN: "all" },
  // block / unblock units — — | own facilities | yes | yes
  "unit.block": { SITE_MANAGER: "own", OPS_LEAD: "all", ADMIN: "all" },
  // reveal and regenerate a tenant's gate code (docs/domain.md#gate-codes) — — | own facilities | yes | yes
  "access.reveal": { SITE_MANAGER: "own", OPS_LEAD: "all", ADMIN: "all" },
  // replay one delivery — yes | — | yes | yes
  "delivery.replay": { SUPPORT: "all", OPS_LEAD: "all", ADMIN: "all" },
  // bulk replay — — | — | yes | yes
  "delivery.bulk_replay": { OPS_LEAD: "all", ADMIN: "all" },
  // endpoint disable/enable, secret rotation — — | — | yes | yes
  "endpoint.manage": { OPS_LEAD: "all", ADMIN: "all" },
  // drift runs and their discrepancies: read by those who act on them
  "reconciliation.read": { OPS_LEAD: "all", ADMIN: "all" },
  // run reconciliation, apply corrections — — | — | yes | yes
  "reconciliation.run": { OPS_LEAD: "all", ADMIN: "all" },
  // KPIs — yes | own facilities | yes | yes
  "kpi.read": EVERYONE_OWN_FOR_SITE_MANAGER,
  // the request log (docs/request-log.md) — yes | own facilities' calls | yes | yes
  "api_log.read": EVERYONE_OWN_FOR_SITE_MANAGER,
  // incidents (docs/operations.md#alerts-and-incidents): support reads, a site manager their facilities'
  "incident.read": EVERYONE_OWN_FOR_SITE_MANAGER,
  // acknowledge, resolve, annotate incidents — — | — | yes | yes
  "incident.manage": { OPS_LEAD: "all", ADMIN: "all" },
  // erase a customer's personal data from a booking (docs/domain.md#erasing-a-customer) — — | — | yes | yes
  "customer.erase": { OPS_LEAD: "all", ADMIN: "all" },
  // facilities, unit types, rates and units (docs/domain.md#catalogue) — — | — | yes | yes
  "catalogue.manage": { OPS_LEAD: "all", ADMIN: "all" },
  // users, partners, API keys — — | — | — | yes
  "admin.manage": { ADMIN: "all" },
} as const satisfies Record<string, Grants>;

export type Permission = keyof typeof PERMISSION_TABLE;
export const PERMISSIONS = Object.keys(PERMISSION_TABLE) as Permission[];

/** What the permission checks need to know about a user. */
export interface PermissionSubject {
  role: Role;
  /** the facilities the user is assigned to (UserFacility rows); only a site manager's matter */
  facilityIds: readonly string[];
}

function grantOf(user: PermissionSubject, permission: Permission): Grant | undefined {
  const grants: Grants = PERMISSION_TABLE[permission];
  return grants[user.role];
}

/**
 * Whether `user` holds `permission`; with `facilityId`, whether they hold it for that
 * facility (a site manager only for their own).
 */
export function can(user: PermissionSubject | null | undefined, permission: Permission, facilityId?: string): boolean {
  if (!user) return false;
  const grant = grantOf(user, permission);
  if (!grant) return false;
  if (grant === "all" || facilityId === undefined) return true;
  return user.facilityIds.includes(facilityId);
}

/**
 * The facilities whose records the user may see: `null` means every facility; a site
 * manager sees only their own (possibly none).
 */
export function facilityScope(user: PermissionSubject): readonly string[] | null {
  return user.role === "SITE_MANAGER" ? [...user.facilityIds] : null;
}

/** Every permission the user holds (for the actor's `scopes` and the audit trail). */
export function permissionsOf(user: PermissionSubject): Permission[] {
  return PERMISSIONS.filter((permission) => can(user, permission));
}

// ───────────────────────── capabilities ─────────────────────────

/** What an API key may be granted (a partner's scopes). */
export const PARTNER_SCOPES = ["inventory:read", "bookings:read", "bookings:write", "availability:write", "webhooks:manage", "logs:read", "access:read", "catalogue:write"] as const;
export type PartnerScope = (typeof PARTNER_SCOPES)[number];

/** What each API key scope lets a partner do, as the admin screen shows it (docs/partner-api.md#authentication-and-scopes). */
const SCOPE_DESCRIPTIONS: Record<PartnerScope, string> = {
  "inventory:read": "Facilities, unit types, availability and the event feed",
  "bookings:read": "Read the partner's own bookings",
  "bookings:write": "Hold, confirm, fulfil, move out and cancel bookings",
  "availability:write": "Report availability snapshots for drift checks",
  "webhooks:manage": "Manage the partner's webhook endpoints and secrets",
  "logs:read": "Read the partner's own request log (GET /api/v1/request-logs)",
  "access:read": "Read the gate code of the partner's own moved-in bookings (GET /api/v1/bookings/{reference}/access)",
  "catalogue:write": "Import a facility's units from a file (POST /api/v1/imports) and follow the import",
};

/** The description of a scope as stored on a key (a string); undefined for one we do not know. */
export function scopeDescription(scope: string): string | undefined {
  return (PARTNER_SCOPES as readonly string[]).includes(scope) ? SCOPE_DESCRIPTIONS[scope as PartnerScope] : undefined;
}

/**
 * One vocabulary for what any actor may do, console user or partner. Each capability
 * names the console permission that grants it to a user (its role's grant, "all" or
 * "own" facilities, from PERMISSION_TABLE) and the API-key scope that grants it to a
 * partner (within the key's facility limits); null: no such actor may. The payment
 * provider's signed webhooks may confirm or cancel (a paid or failed payment). The
 * system's own jobs hold every capability. `authorize()` in server/domain/shared/authorize.ts is the
 * one check, at the start of every mutating service (docs/conventions.md#authorization).
 */
export const CAPABILITIES = {
  "booking.read": { permission: "booking.read", scope: "bookings:read" },
  "booking.hold": { permission: null, scope: "bookings:write" },
  "booking.confirm": { permission: null, scope: "bookings:write", paymentProvider: true },
  "booking.cancel": { permission: "booking.cancel", scope: "bookings:write", paymentProvider: true },
  "booking.fulfil": { permission: "booking.fulfil", scope: "bookings:write" },
  "booking.move_out": { permission: "booking.fulfil", scope: "bookings:write" },
  "access.reveal": { permission: "access.reveal", scope: "access:read" },
  "access.regenerate": { permission: "access.reveal", scope: null },
  "inventory.read": { permission: "inventory.read", scope: "inventory:read" },
  "availability.snapshot": { permission: null, scope: "availability:write" },
  "unit.block": { permission: "unit.block", scope: null },
  "delivery.read": { permission: "delivery.read", scope: null },
  "delivery.replay": { permission: "delivery.replay", scope: null },
  "delivery.bulk_replay": { permission: "delivery.bulk_replay", scope: null },
  "endpoint.read": { permission: "delivery.read", scope: "webhooks:manage" },
  "endpoint.manage": { permission: "endpoint.manage", scope: "webhooks:manage" },
  "endpoint.operate": { permission: "endpoint.manage", scope: null },
  "reconciliation.read": { permission: "reconciliation.read", scope: null },
  "reconciliation.run": { permission: "reconciliation.run", scope: null },
  "kpi.read": { permission: "kpi.read", scope: null },
  "api_log.read": { permission: "api_log.read", scope: "logs:read" },
  "audit.read": { permission: "audit.read", scope: null },
  "admin.manage": { permission: "admin.manage", scope: null },
  "customer.erase": { permission: "customer.erase", scope: null },
  "catalogue.manage": { permission: "catalogue.manage", scope: null },
  "catalogue.import": { permission: "catalogue.manage", scope: "catalogue:write" },
  "incident.read": { permission: "incident.read", scope: null },
  "incident.manage": { permission: "incident.manage", scope: null },
} as const satisfies Record<string, { permission: Permission | null; scope: PartnerScope | null; paymentProvider?: true }>;

export type Capability = keyof typeof CAPABILITIES;

/** What an actor's `scopes` hold: a user's permissions, or an API key's scopes. */
export type ActorScope = Permission | PartnerScope;

// ───────────────────────── what the console shows ─────────────────────────

export interface ConsoleRoute {
  href: string;
  label: string;
  /** null: every signed-in user */
  permission: Permission | null;
}

/** The console's top-level screens (docs/architecture.md#console-screens) and what each needs. */
export const CONSOLE_ROUTES = [
  { href: "/incidents", label: "Incidents", permission: "incident.read" },
  { href: "/bookings", label: "Bookings", permission: "booking.read" },
  { href: "/inventory", label: "Inventory", permission: "inventory.read" },
  { href: "/catalogue", label: "Catalogue", permission: "inventory.read" },
  { href: "/webhooks", label: "Webhooks", permission: "delivery.read" },
  { href: "/drift", label: "Drift", permission: "reconciliation.read" },
  { href: "/kpis", label: "KPIs", permission: "kpi.read" },
  { href: "/audit", label: "Audit", permission: "audit.read" },
  { href: "/api-logs", label: "API logs", permission: "api_log.read" },
  { href: "/admin", label: "Admin", permission: "admin.manage" },
  { href: "/api-docs", label: "API docs", permission: null },
] as const satisfies readonly ConsoleRoute[];

export type ConsoleHref = (typeof CONSOLE_ROUTES)[number]["href"];

/** The navigation items the user may use, in display order. */
export function navItemsFor(user: PermissionSubject): ConsoleRoute[] {
  return CONSOLE_ROUTES.filter((route) => route.permission === null || can(user, route.permission));
}

/** The permission a top-level screen needs (null: any signed-in user). */
export function permissionForRoute(href: ConsoleHref): Permission | null {
  return CONSOLE_ROUTES.find((route) => route.href === href)?.permission ?? null;
}

/** Which actions to offer, optionally for one facility; the server checks again. */
export interface ActionVisibility {
  cancelBooking: boolean;
  fulfilBooking: boolean;
  blockUnit: boolean;
  replayDelivery: boolean;
  bulkReplay: boolean;
  manageEndpoints: boolean;
  runReconciliation: boolean;
  manageAdmin: boolean;
  eraseCustomer: boolean;
}

export function actionsFor(user: PermissionSubject, facilityId?: string): ActionVisibility {
  return {
    cancelBooking: can(user, "booking.cancel", facilityId),
    fulfilBooking: can(user, "booking.fulfil", facilityId),
    blockUnit: can(user, "unit.block", facilityId),
    replayDelivery: can(user, "delivery.replay"),
    bulkReplay: can(user, "delivery.bulk_replay"),
    manageEndpoints: can(user, "endpoint.manage"),
    runReconciliation: can(user, "reconciliation.run"),
    manageAdmin: can(user, "admin.manage"),
    eraseCustomer: can(user, "customer.erase", facilityId),
  };
}
