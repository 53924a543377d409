import type { BlockReason } from "../../server/generated/prisma/enums";
import {
  DEMO_PARTNER_CODES,
  type DemoFacilityCode,
  type DemoPartnerCode,
  type DemoUnitTypeCode,
} from "./catalog";
import type { Random } from "./random";
import { DAY_MS, MINUTE_MS } from "./zoned-time";

/**
 * The shape of the demo history (./history.ts): occupancy curves, partner shares and
 * conversion, weekly and daily rhythms, lead times, reasons and maintenance blocks.
 * Plain numbers, so the story the demo data tells can be read and tuned in one place.
 */

export const HISTORY_STEP_NAME = "history";
export const HISTORY_DAYS = 90;

/** Share of a unit type's units occupied on day 0 and at the end (before the facility's lean). */
const OCCUPANCY_TARGETS: Readonly<Record<DemoUnitTypeCode, readonly [number, number]>> = {
  LOCKER: [0.65, 0.89],
  "5X5": [0.65, 0.89],
  "5X10": [0.63, 0.86],
  "5X10-CC": [0.61, 0.85],
  "10X10": [0.59, 0.82],
  "10X10-CC": [0.57, 0.81],
  "10X15": [0.54, 0.75],
  "10X20": [0.49, 0.69],
  "10X30": [0.47, 0.65],
};
const FACILITY_LEAN: Readonly<Record<DemoFacilityCode, number>> = { "LON-01": -0.005, "NYC-01": -0.015, "SYD-01": -0.01 };
/** One popular size per facility sells out towards the end, so late holds there are refused. */
export const SELLS_OUT: Readonly<Record<DemoFacilityCode, DemoUnitTypeCode>> = { "LON-01": "5X5", "NYC-01": "LOCKER", "SYD-01": "5X10-CC" };

/** Committed units are steered at the curve this many days ahead (move-ins follow holds by 0–14 days). */
export const LOOKAHEAD_DAYS = 5;
/** Share of the gap to the curve that a day's demand closes. */
export const GAP_CLOSED_PER_DAY = 0.3;
/** Move-outs: ~4 % of occupied units a month. */
export const DAILY_CHURN = 0.04 / 30;
/** A tenant stays at least this long before moving out. */
export const MIN_TENANCY_MS = 14 * DAY_MS;
/** Holds a pool gets per unit and day even when it is at its curve (browsers, sold-out searches). */
export const BASELINE_HOLDS_PER_UNIT = 0.002;
/** The sell-out sizes keep being asked for when full, and those requests are refused. */
export const SELL_OUT_HOLDS_PER_UNIT = 0.008;

/** Who books: ~50 / 35 / 15 % overall (the phone desk's Sunday calls go online, so it asks a little more). */
export const PARTNER_SHARE: Readonly<Record<DemoPartnerCode, number>> = { MARKETPLACE: 0.49, PHONEDESK: 0.165, WEBSITE: 0.345 };
export const CONVERSION: Readonly<Record<DemoPartnerCode, number>> = { MARKETPLACE: 0.66, PHONEDESK: 0.8, WEBSITE: 0.74 };
/** Of the holds that do not convert, the share the partner cancels (the rest expire). */
export const ABANDON_CANCELLED = 0.25;
/** Confirmed bookings cancelled before their move-in. */
export const CONFIRMED_CANCELLED = 0.08;
/** Expected move-ins per hold. */
export const EXPECTED_YIELD =
  DEMO_PARTNER_CODES.reduce((sum, code) => sum + PARTNER_SHARE[code] * CONVERSION[code], 0) * (1 - CONFIRMED_CANCELLED);

/** Relative demand by local weekday, Sunday first (averages 1). */
export const HOLD_WEEKDAY = [0.55, 1.15, 1.2, 1.2, 1.15, 1.05, 0.7] as const;
export const MOVE_OUT_WEEKDAY = [0.3, 1.0, 1.0, 1.0, 1.1, 1.3, 1.3] as const;
/** Online holds by local hour: a lunchtime bump and an evening peak. */
export const ONLINE_HOURS = [
  0.2, 0.1, 0.05, 0.05, 0.05, 0.1, 0.3, 0.7, 1.2, 1.5, 1.6, 1.7, 2.0, 2.0, 1.7, 1.6, 1.6, 1.7, 1.9, 2.2, 2.3, 2.0, 1.3,
  0.6,
] as const;
/** Days from hold to move-in, 0–14. */
export const LEAD_DAYS: Readonly<Record<DemoPartnerCode, readonly number[]>> = {
  MARKETPLACE: [0.4, 1.3, 1.3, 1.3, 1.2, 1.1, 1.0, 1.2, 0.9, 0.8, 0.7, 0.7, 0.6, 0.5, 0.8],
  PHONEDESK: [1.2, 2.0, 1.8, 1.4, 1.0, 0.8, 0.7, 0.9, 0.5, 0.4, 0.3, 0.3, 0.2, 0.2, 0.3],
  WEBSITE: [0.2, 1.0, 1.2, 1.2, 1.2, 1.1, 1.1, 1.3, 1.0, 0.9, 0.8, 0.7, 0.7, 0.6, 1.0],
};
/** Where each partner's calls come from, as the audit log shows it (documentation addresses). */
export const PARTNER_CLIENT: Readonly<Record<DemoPartnerCode, { ip: string; userAgent: string }>> = {
  MARKETPLACE: { ip: "203.0.113.10", userAgent: "StowCompare-Bookings/4.2 (+https://stowcompare.example.com)" },
  PHONEDESK: { ip: "192.0.2.45", userAgent: "PhoneDesk-CRM/2.3" },
  WEBSITE: { ip: "198.51.100.24", userAgent: "holdfast-website/1.8" },
};

export const ABANDON_REASONS = [
  "Customer abandoned checkout",
  "Customer chose a different unit size",
  "Duplicate hold",
  "Payment declined",
] as const;
export const PARTNER_CANCEL_REASONS = ["Customer cancelled", "Customer found other storage", "Move postponed"] as const;
export const CUSTOMER_REQUEST = "Customer request";
export const MOVE_OUT = "Move-out";

export interface BlockPlan {
  reason: BlockReason;
  weight: number;
  /** how long the unit is out of service, in hours */
  hours: readonly [number, number];
  /** whether the manager gives an expected end (otherwise it is open until unblocked) */
  announcesEnd: boolean;
  notes: readonly string[];
  doneNotes: readonly string[];
}

export const BLOCK_PLANS: readonly BlockPlan[] = [
  {
    reason: "CLEANING",
    weight: 0.35,
    hours: [3, 30],
    announcesEnd: true,
    notes: ["Previous tenant left rubbish behind; deep clean before re-letting", "Oil spill on the floor"],
    doneNotes: ["Cleaned and inspected"],
  },
  {
    reason: "DAMAGE",
    weight: 0.25,
    hours: [48, 240],
    announcesEnd: false,
    notes: ["Roller door runner bent; door will not close fully", "Water coming in at the back wall after heavy rain", "Partition panel dented by a trolley"],
    doneNotes: ["Repaired and checked", "Contractor finished the repair"],
  },
  {
    reason: "LOCK_FAULT",
    weight: 0.2,
    hours: [2, 26],
    announcesEnd: true,
    notes: ["Latch seized; locksmith booked", "Hasp damaged; new hasp to be fitted"],
    doneNotes: ["Locksmith fitted a new latch", "New hasp fitted"],
  },
  {
    reason: "PEST",
    weight: 0.1,
    hours: [96, 216],
    announcesEnd: false,
    notes: ["Signs of rodents reported by the neighbouring tenant; pest control booked"],
    doneNotes: ["Treatment complete; follow-up inspection clear"],
  },
  {
    reason: "OTHER",
    weight: 0.1,
    hours: [24, 72],
    announcesEnd: true,
    notes: ["Sprinkler inspection needs access through this unit", "Electrical survey"],
    doneNotes: ["Work finished"],
  },
];
export const HISTORIC_BLOCKS_PER_FACILITY = 5;

/** Live holds made in the last minutes before now, for the holds board. */
export const LIVE_HOLDS = 8;
/** The simulated history stops this long before now; the live holds fill the gap. */
export const LIVE_WINDOW_MS = 15 * MINUTE_MS;

export function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

/**
 * The occupancy a pool is steered to on `day` (0 … HISTORY_DAYS), a straight rise; the
 * days just past the end carry on rising a little, so the demand of the last days leaves
 * confirmed bookings with move-ins still to come.
 */
export function targetOccupancy(facility: DemoFacilityCode, type: DemoUnitTypeCode, day: number): number {
  const [start, end] = OCCUPANCY_TARGETS[type];
  const finish = SELLS_OUT[facility] === type ? 1 : end;
  const progress = clamp(day / HISTORY_DAYS, 0, 1.1);
  return clamp(start + (finish - start) * progress + FACILITY_LEAN[facility], 0, 1);
}

/** A Poisson-distributed count (Knuth; the rates here are small). */
export function poisson(random: Random, lambda: number): number {
  if (lambda <= 0) return 0;
  const limit = Math.exp(-lambda);
  let k = 0;
  let p = 1;
  do {
    k++;
    p *= random.next();
  } while (p > limit);
  return k - 1;
}
