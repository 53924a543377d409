import { PARTNER_SCOPES } from "@/shared/permissions";

/**
 * The demo's fixed catalog (docs/operations.md#demo-mode-and-demo-data): facilities, unit
 * types, partners and their API keys, console users. Plain data with no imports, so e2e
 * specs, tests and the history generator can use the same codes and credentials the seed
 * writes.
 *
 * The keys and the password are public demo values; the seed refuses to write them to
 * an external database unless HOLDFAST_DEMO=1.
 */

// ───────────────────────────── unit types ─────────────────────────────

export const DEMO_UNIT_TYPE_CODES = [
  "LOCKER",
  "5X5",
  "5X10",
  "5X10-CC",
  "10X10",
  "10X10-CC",
  "10X15",
  "10X20",
  "10X30",
] as const;
export type DemoUnitTypeCode = (typeof DEMO_UNIT_TYPE_CODES)[number];

/**
 * Where a unit type can be built. Floors are numbered from 1 (ground) and are either
 * inside a building or a drive-up row.
 * - LOCKER_BANK: indoor, ground floor, by the office
 * - INDOOR: indoor, any floor
 * - INDOOR_UPPER: indoor, above ground (the climate-controlled floors)
 * - GROUND: indoor ground floor or drive-up
 * - DRIVE_UP: drive-up only (vehicle-sized units)
 */
export type UnitPlacement = "LOCKER_BANK" | "INDOOR" | "INDOOR_UPPER" | "GROUND" | "DRIVE_UP";

export interface DemoUnitTypeDef {
  code: DemoUnitTypeCode;
  name: string;
  /** feet; one decimal at most */
  widthFt: number;
  depthFt: number;
  climateControlled: boolean;
  placement: UnitPlacement;
}

export const DEMO_UNIT_TYPES: Readonly<Record<DemoUnitTypeCode, DemoUnitTypeDef>> = {
  LOCKER: { code: "LOCKER", name: "Locker", widthFt: 2.5, depthFt: 3, climateControlled: false, placement: "LOCKER_BANK" },
  "5X5": { code: "5X5", name: "5 × 5 ft", widthFt: 5, depthFt: 5, climateControlled: false, placement: "INDOOR" },
  "5X10": { code: "5X10", name: "5 × 10 ft", widthFt: 5, depthFt: 10, climateControlled: false, placement: "INDOOR" },
  "5X10-CC": {
    code: "5X10-CC",
    name: "5 × 10 ft, climate-controlled",
    widthFt: 5,
    depthFt: 10,
    climateControlled: true,
    placement: "INDOOR_UPPER",
  },
  "10X10": { code: "10X10", name: "10 × 10 ft", widthFt: 10, depthFt: 10, climateControlled: false, placement: "INDOOR" },
  "10X10-CC": {
    code: "10X10-CC",
    name: "10 × 10 ft, climate-controlled",
    widthFt: 10,
    depthFt: 10,
    climateControlled: true,
    placement: "INDOOR_UPPER",
  },
  "10X15": { code: "10X15", name: "10 × 15 ft", widthFt: 10, depthFt: 15, climateControlled: false, placement: "GROUND" },
  "10X20": { code: "10X20", name: "10 × 20 ft, drive-up", widthFt: 10, depthFt: 20, climateControlled: false, placement: "DRIVE_UP" },
  "10X30": { code: "10X30", name: "10 × 30 ft, drive-up", widthFt: 10, depthFt: 30, climateControlled: false, placement: "DRIVE_UP" },
};

// ───────────────────────────── facilities ─────────────────────────────

export const DEMO_FACILITY_CODES = ["LON-01", "NYC-01", "SYD-01"] as const;
export type DemoFacilityCode = (typeof DEMO_FACILITY_CODES)[number];

export interface DemoFloorDef {
  /** the letter that starts the unit code: B-114 is building B, floor 1, unit 14 */
  building: string;
  /** 1 = ground */
  floor: number;
  /** how many units fit; unit numbers on a floor stay below 100 */
  capacity: number;
  driveUp: boolean;
}

export interface DemoUnitMix {
  units: number;
  /** integer cents of the facility's currency */
  monthlyRateCents: number;
}

export interface DemoFacilityDef {
  code: DemoFacilityCode;
  name: string;
  timezone: string;
  addressLine1: string;
  city: string;
  postalCode: string;
  /** ISO 3166-1 alpha-2 */
  country: string;
  accessHours: string;
  /** ISO 4217; the facility's rates are in this currency */
  currency: "GBP" | "USD" | "AUD";
  floors: readonly DemoFloorDef[];
  unitMix: Readonly<Record<DemoUnitTypeCode, DemoUnitMix>>;
}

export const DEMO_FACILITIES: readonly DemoFacilityDef[] = [
  {
    code: "LON-01",
    name: "Holdfast London Bermondsey",
    timezone: "Europe/London",
    addressLine1: "Unit 4, Galleywall Road Trading Estate",
    city: "London",
    postalCode: "SE16 3PB",
    country: "GB",
    accessHours: "Daily 06:00–22:00; office Mon–Sat 08:30–18:00",
    currency: "GBP",
    floors: [
      { building: "A", floor: 1, capacity: 60, driveUp: false },
      { building: "A", floor: 2, capacity: 60, driveUp: false },
      { building: "A", floor: 3, capacity: 60, driveUp: false },
      { building: "B", floor: 1, capacity: 36, driveUp: true },
    ],
    unitMix: {
      LOCKER: { units: 20, monthlyRateCents: 3_900 },
      "5X5": { units: 30, monthlyRateCents: 8_900 },
      "5X10": { units: 32, monthlyRateCents: 14_900 },
      "5X10-CC": { units: 18, monthlyRateCents: 17_500 },
      "10X10": { units: 30, monthlyRateCents: 24_900 },
      "10X10-CC": { units: 20, monthlyRateCents: 28_900 },
      "10X15": { units: 16, monthlyRateCents: 34_500 },
      "10X20": { units: 14, monthlyRateCents: 42_900 },
      "10X30": { units: 10, monthlyRateCents: 57_900 },
    },
  },
  {
    code: "NYC-01",
    name: "Holdfast New York Long Island City",
    timezone: "America/New_York",
    addressLine1: "31-18 Hunters Point Avenue",
    city: "Long Island City, NY",
    postalCode: "11101",
    country: "US",
    accessHours: "Daily 06:00–23:00; office Mon–Sun 09:00–18:00",
    currency: "USD",
    floors: [
      { building: "A", floor: 1, capacity: 56, driveUp: false },
      { building: "A", floor: 2, capacity: 56, driveUp: false },
      { building: "A", floor: 3, capacity: 56, driveUp: false },
      { building: "A", floor: 4, capacity: 56, driveUp: false },
      { building: "B", floor: 1, capacity: 36, driveUp: true },
    ],
    unitMix: {
      LOCKER: { units: 30, monthlyRateCents: 4_900 },
      "5X5": { units: 36, monthlyRateCents: 10_900 },
      "5X10": { units: 38, monthlyRateCents: 16_900 },
      "5X10-CC": { units: 26, monthlyRateCents: 19_900 },
      "10X10": { units: 34, monthlyRateCents: 29_900 },
      "10X10-CC": { units: 24, monthlyRateCents: 34_900 },
      "10X15": { units: 18, monthlyRateCents: 39_900 },
      "10X20": { units: 14, monthlyRateCents: 48_900 },
      "10X30": { units: 10, monthlyRateCents: 64_900 },
    },
  },
  {
    code: "SYD-01",
    name: "Holdfast Sydney Alexandria",
    timezone: "Australia/Sydney",
    addressLine1: "88 Bourke Road",
    city: "Alexandria NSW",
    postalCode: "2015",
    country: "AU",
    accessHours: "Mon–Sat 06:00–21:00, Sun 07:00–19:00; office Mon–Sat 08:30–17:30",
    currency: "AUD",
    floors: [
      { building: "A", floor: 1, capacity: 75, driveUp: false },
      { building: "A", floor: 2, capacity: 75, driveUp: false },
      { building: "C", floor: 1, capacity: 45, driveUp: true },
    ],
    unitMix: {
      LOCKER: { units: 14, monthlyRateCents: 4_500 },
      "5X5": { units: 24, monthlyRateCents: 11_500 },
      "5X10": { units: 28, monthlyRateCents: 17_900 },
      "5X10-CC": { units: 16, monthlyRateCents: 20_900 },
      "10X10": { units: 30, monthlyRateCents: 31_900 },
      "10X10-CC": { units: 18, monthlyRateCents: 36_900 },
      "10X15": { units: 18, monthlyRateCents: 43_500 },
      "10X20": { units: 18, monthlyRateCents: 52_900 },
      "10X30": { units: 14, monthlyRateCents: 69_900 },
    },
  },
];

/** Units the seed creates, in all facilities (600). */
export const DEMO_UNIT_COUNT = DEMO_FACILITIES.reduce(
  (sum, facility) => sum + Object.values(facility.unitMix).reduce((s, mix) => s + mix.units, 0),
  0,
);

// ───────────────────────────── partners ─────────────────────────────

/** Every scope a key can hold (the README promises the demo keys all of them, logs:read included). */
export const API_KEY_SCOPES = PARTNER_SCOPES;

export const DEMO_PARTNER_CODES = ["MARKETPLACE", "PHONEDESK", "WEBSITE"] as const;
export type DemoPartnerCode = (typeof DEMO_PARTNER_CODES)[number];

export interface DemoApiKey {
  partnerCode: DemoPartnerCode;
  key: string;
}

/** Public demo keys (docs/operations.md#demo-mode-and-demo-data): every scope, every facility. */
export const DEMO_API_KEYS: readonly DemoApiKey[] = [
  { partnerCode: "MARKETPLACE", key: "hf_demo_marketplace" },
  { partnerCode: "PHONEDESK", key: "hf_demo_phonedesk" },
  { partnerCode: "WEBSITE", key: "hf_demo_website" },
];

export function demoApiKey(partnerCode: DemoPartnerCode): string {
  const found = DEMO_API_KEYS.find((k) => k.partnerCode === partnerCode);
  if (!found) throw new Error(`No demo API key for ${partnerCode}.`);
  return found.key;
}

export const DEMO_API_KEY_NAME = "Demo key";

export interface DemoPartnerDef {
  code: DemoPartnerCode;
  name: string;
  kind: "MARKETPLACE" | "PHONE_AGENT" | "WEBSITE";
  holdTtlSeconds: number;
  apiKey: string;
  /** e-mailed when the partner's endpoint starts failing or is disabled (the demo mail catcher shows it) */
  technicalContactEmail: string;
}

export const DEMO_PARTNERS: readonly DemoPartnerDef[] = [
  { code: "MARKETPLACE", name: "StowCompare marketplace", kind: "MARKETPLACE", holdTtlSeconds: 900, apiKey: demoApiKey("MARKETPLACE"), technicalContactEmail: "dev@stowcompare.example" },
  // Phone agents talk a customer through payment, so their holds last longer.
  { code: "PHONEDESK", name: "Reservations phone desk", kind: "PHONE_AGENT", holdTtlSeconds: 1_800, apiKey: demoApiKey("PHONEDESK"), technicalContactEmail: "it@phonedesk.example" },
  { code: "WEBSITE", name: "Holdfast website", kind: "WEBSITE", holdTtlSeconds: 900, apiKey: demoApiKey("WEBSITE"), technicalContactEmail: "web@holdfast.example" },
];

// ───────────────────────────── console users ─────────────────────────────

export const DEMO_PASSWORD = "holdfast-demo";

export type DemoUserRole = "SUPPORT" | "SITE_MANAGER" | "OPS_LEAD" | "ADMIN";

export interface DemoUserDef {
  email: string;
  name: string;
  role: DemoUserRole;
  /** facilities a site manager runs; empty for the other roles (they see all) */
  facilityCodes: readonly DemoFacilityCode[];
}

export const DEMO_USER_EMAILS = {
  support: "support@demo.holdfast",
  manager: "manager@demo.holdfast",
  opsLead: "opslead@demo.holdfast",
  admin: "admin@demo.holdfast",
} as const;

export const DEMO_USERS: readonly DemoUserDef[] = [
  { email: DEMO_USER_EMAILS.support, name: "Sam Okafor", role: "SUPPORT", facilityCodes: [] },
  { email: DEMO_USER_EMAILS.manager, name: "Priya Nair", role: "SITE_MANAGER", facilityCodes: ["LON-01"] },
  { email: DEMO_USER_EMAILS.opsLead, name: "Dana Whitfield", role: "OPS_LEAD", facilityCodes: [] },
  { email: DEMO_USER_EMAILS.admin, name: "Alex Morgan", role: "ADMIN", facilityCodes: [] },
];
