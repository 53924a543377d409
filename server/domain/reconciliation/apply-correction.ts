import { z } from "zod";
import { bumpBooking, appendBookingEvent } from "../bookings/transition-booking";
import { HOLDABLE_UNIT } from "../inventory/holdable";
import { Prisma, type Discrepancy, type Facility, type InventoryPool, type UnitType } from "../../generated/prisma/client";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { appendEvent } from "@/server/domain/shared/events";
import { scopeSql } from "@/server/domain/shared/facility-scope";
import { newGateCodeCiphertext } from "../access/access-grants";
import type { SqlRow } from "@/server/domain/shared/sql-row";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import type { Tx } from "@/server/domain/shared/tx";
import { reconcileConfig, type ReconcileConfig } from "../../config";
import { COUNTER_KEYS, needsApproval } from "@/shared/discrepancy-kinds";
import { parseOrRefuse } from "@/server/domain/shared/validation";

/**
 * Applies a discrepancy's correction (docs/domain.md#reconciliation-and-corrections:
 * never silent). In one transaction:
 * the state is re-checked under row locks (lock order booking → unit → pool, as every
 * other change), fixed, its event written (inventory.corrected for pools and units,
 * booking.expired, access.revoked / access.granted), the discrepancy closed and an audit
 * entry written. Drift that has meanwhile gone is closed without a change (audited).
 *
 * Beyond the tolerance (shared/discrepancy-kinds.ts: needsApproval) only a console user who approves it
 * explicitly may apply it; a scheduled run (actor system) never does.
 */

export const ApplyCorrectionInput = z
  .object({
    discrepancyId: z.uuid({ error: "Choose a discrepancy." }),
    /** the ops lead's explicit approval of a correction beyond the tolerance */
    approve: z.boolean().optional(),
    note: z.string().trim().max(500, "Keep the note under 500 characters.").optional(),
  })
  .strict();
export type ApplyCorrectionInput = z.input<typeof ApplyCorrectionInput>;

export interface CorrectionResult {
  discrepancyId: string;
  status: "CORRECTED";
  /** false when the drift had gone by itself: nothing was changed */
  changed: boolean;
  eventIds: string[];
  resolution: string;
}

type LockedDiscrepancy = SqlRow<
  Discrepancy,
  "id" | "kind" | "status" | "facilityId" | "poolId" | "unitId" | "bookingId" | "fingerprint" | "expected" | "actual"
>;

interface Outcome {
  changed: boolean;
  eventIds: string[];
  text: string;
  /** pools recounted by this correction: their open counter drift is closed too */
  recountedPoolId?: string | null;
  /** units whose status was set from their facts: their open UNIT_STATUS drift is closed too */
  settledUnitIds?: string[];
  /** pools re-announced: their open partner drift is closed too */
  reannouncedPoolId?: string | null;
  details?: Record<string, unknown>;
}

export async function applyCorrection(
  raw: ApplyCorrectionInput,
  actor: Actor,
  options: ServiceOptions & { config?: ReconcileConfig } = {},
): Promise<CorrectionResult> {
  await authorize(actor, "reconciliation.run", { target: { type: "discrepancy", id: raw.discrepancyId } });
  const input = parseOrRefuse(ApplyCorrectionInput, raw);
  const config = options.config ?? reconcileConfig();
  return inTransaction(options, async (tx) => {
    const discrepancy = await lockOpenDiscrepancy(tx, input.discrepancyId, actor);
    const beyond = needsApproval(discrepancy, config.counterTolerance);
    if (beyond && !(actor.type === "USER" && input.approve === true)) {
      throw new DomainError(
        "CONFLICT",
        actor.type === "USER"
          ? `This correction is beyond the tolerance (${config.counterTolerance}) or changes access or a booking: approve it explicitly to apply it.`
          : "This correction needs an ops lead's approval.",
        { requires_approval: true, tolerance: config.counterTolerance },
      );
    }
    const outcome = await correct(tx, discrepancy, actor, options.now);
    const note = input.note?.trim() || null;
    const resolution = note ? `${outcome.text} Note: ${note}` : outcome.text;
    await tx.$executeRaw`
      UPDATE discrepancies SET status = 'CORRECTED', resolved_at = now(), resolution = ${resolution}, closed_seq = ${NEXT_CLOSED_SEQ},
             resolved_by_id = ${actor.type === "USER" ? actor.id : null}::uuid
      WHERE id = ${discrepancy.id}::uuid`;
    // The same correction also settled these: the pool was recounted / re-announced.
    const closedToo = await closeSettledByPool(tx, discrepancy.id, outcome, actor);
    await writeAudit(tx, actor, {
      action: "discrepancy.correct",
      targetType: "discrepancy",
      targetId: discrepancy.id,
      facilityId: discrepancy.facility_id,
      reason: note,
      metadata: {
        kind: discrepancy.kind,
        changed: outcome.changed,
        event_ids: outcome.eventIds,
        beyond_tolerance: beyond,
        approved: beyond ? true : undefined,
        expected: discrepancy.expected,
        actual: discrepancy.actual,
        also_closed: closedToo,
        ...outcome.details,
      },
    });
    return { discrepancyId: discrepancy.id, status: "CORRECTED", changed: outcome.changed, eventIds: outcome.eventIds, resolution };
  });
}

/** pg advisory lock (two-int form): "HF" + 3, 3 = a run merging its findings / closing discrepancies */
export const MERGE_LOCK = [0x4846_0003, 3] as const;

/**
 * A closed discrepancy's closed_seq: one past the newest merged run, read while holding
 * MERGE_LOCK shared (lockOpenDiscrepancy), so every run that merged before it saw the
 * discrepancy open and every run that merges after (a higher number) sees it closed
 * (docs/domain.md#reconciliation-and-corrections).
 */
export const NEXT_CLOSED_SEQ = Prisma.sql`(SELECT coalesce(max(merged_seq), 0) + 1 FROM reconciliation_runs)`;

/**
 * The discrepancy, locked; NOT_FOUND when missing, CONFLICT when no longer OPEN. First waits
 * for a run merging its findings (MERGE_LOCK, shared among closers), so a discrepancy is
 * never closed in the middle of a merge.
 */
export async function lockOpenDiscrepancy(tx: Tx, id: string, actor: Actor): Promise<LockedDiscrepancy> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(${MERGE_LOCK[0]}::int, ${MERGE_LOCK[1]}::int)`;
  const rows = await tx.$queryRaw<LockedDiscrepancy[]>`
    SELECT id, kind::text AS kind, status::text AS status, facility_id, pool_id, unit_id, booking_id, fingerprint, expected, actual
    FROM discrepancies WHERE id = ${id}::uuid ${scopeSql(actor, Prisma.sql`facility_id`)} FOR UPDATE`;
  const d = rows[0];
  if (!d) {
    throw new DomainError("NOT_FOUND", `Discrepancy ${id} was not found.`);
  }
  if (d.status !== "OPEN") {
    throw new DomainError("CONFLICT", `This discrepancy is ${d.status.toLowerCase()} already.`, { current_status: d.status });
  }
  return d;
}

async function correct(tx: Tx, discrepancy: LockedDiscrepancy, actor: Actor, now?: Date): Promise<Outcome> {
  switch (discrepancy.kind) {
    case "POOL_COUNTER":
      return recountPool(tx, discrepancy.pool_id!, actor, { discrepancyId: discrepancy.id, now });
    case "HOLDABLE":
      return correctHoldable(tx, discrepancy, actor, now);
    case "UNIT_STATUS":
      return correctUnit(tx, discrepancy, actor, now);
    case "EXPIRED_HOLD":
      return expireHold(tx, discrepancy, actor, now);
    case "PARTNER_SNAPSHOT":
    case "PARTNER_VERSION":
      return reannouncePool(tx, discrepancy.pool_id!, actor, discrepancy.id, now);
    case "ACCESS_GRANT":
      return correctAccess(tx, discrepancy, actor, now);
  }
}

type PoolRow = SqlRow<
  InventoryPool,
  "id" | "facilityId" | "total" | "available" | "held" | "booked" | "occupied" | "blocked" | "inventoryVersion"
> & { facility_code: Facility["code"]; unit_type_code: UnitType["code"] };

async function lockPool(tx: Tx, poolId: string): Promise<PoolRow> {
  const rows = await tx.$queryRaw<PoolRow[]>`
    SELECT p.id, p.facility_id, f.code AS facility_code, ut.code AS unit_type_code, p.total, p.available, p.held, p.booked,
           p.occupied, p.blocked, p.inventory_version
    FROM inventory_pools p JOIN facilities f ON f.id = p.facility_id JOIN unit_types ut ON ut.id = p.unit_type_id
    WHERE p.id = ${poolId}::uuid FOR UPDATE OF p`;
  if (!rows[0]) throw new DomainError("NOT_FOUND", `Pool ${poolId} was not found.`);
  return rows[0];
}

function countersOf(pool: PoolRow) {
  return Object.fromEntries(COUNTER_KEYS.map((k) => [k, pool[k]])) as Record<(typeof COUNTER_KEYS)[number], number>;
}

/** inventory.corrected for a pool at its new version, with its counters. */
async function poolCorrectedEvent(tx: Tx, pool: PoolRow, actor: Actor, data: Record<string, unknown>, now?: Date): Promise<string> {
  return appendEvent(tx, {
    type: "inventory.corrected",
    aggregateType: "pool",
    aggregateId: pool.id,
    aggregateVersion: pool.inventory_version,
    facilityId: pool.facility_id,
    correlationId: actor.correlationId,
    createdAt: now,
    data: {
      facility_code: pool.facility_code,
      unit_type_code: pool.unit_type_code,
      ...countersOf(pool),
      inventory_version: pool.inventory_version,
      cause: "reconciliation",
      ...data,
    },
  });
}

/**
 * Sets a pool's counters from its units' statuses, under the pool's lock. A unit change
 * committing meanwhile applies its ±1 to the recounted values (it updates the pool after
 * us), so the recount is never overwritten by a stale one.
 */
async function recountPool(
  tx: Tx,
  poolId: string,
  actor: Actor,
  context: { discrepancyId: string; unit?: Record<string, unknown>; units?: Record<string, unknown>[]; now?: Date },
): Promise<Outcome> {
  const before = await lockPool(tx, poolId);
  const [facts] = await tx.$queryRaw<Record<(typeof COUNTER_KEYS)[number], number>[]>`
    SELECT count(*)::int AS total,
           count(*) FILTER (WHERE status = 'AVAILABLE')::int AS available,
           count(*) FILTER (WHERE status = 'HELD')::int AS held,
           count(*) FILTER (WHERE status = 'BOOKED')::int AS booked,
           count(*) FILTER (WHERE status = 'OCCUPIED')::int AS occupied,
           count(*) FILTER (WHERE status = 'BLOCKED')::int AS blocked
    FROM units WHERE pool_id = ${poolId}::uuid AND status <> 'RETIRED'`;
  const previous = countersOf(before);
  const same = COUNTER_KEYS.every((k) => previous[k] === facts![k]);
  if (same && !context.unit && !context.units?.length) {
    return { changed: false, eventIds: [], text: "The counters already matched the units: nothing was changed.", recountedPoolId: poolId };
  }
  const [after] = await tx.$queryRaw<PoolRow[]>`
    UPDATE inventory_pools SET total = ${facts!.total}, available = ${facts!.available}, held = ${facts!.held},
           booked = ${facts!.booked}, occupied = ${facts!.occupied}, blocked = ${facts!.blocked},
           inventory_version = inventory_version + 1, updated_at = coalesce(${context.now ?? null}::timestamptz, now())
    WHERE id = ${poolId}::uuid
    RETURNING id, facility_id, ${before.facility_code}::text AS facility_code, ${before.unit_type_code}::text AS unit_type_code,
              total, available, held, booked, occupied, blocked, inventory_version`;
  const eventId = await poolCorrectedEvent(
    tx,
    after!,
    actor,
    {
      previous: previous,
      discrepancy_id: context.discrepancyId,
      ...(context.unit ? { unit: context.unit } : {}),
      ...(context.units?.length ? { units: context.units } : {}),
    },
    context.now,
  );
  const changedKeys = COUNTER_KEYS.filter((k) => previous[k] !== facts![k]).map((k) => `${k} ${previous[k]} → ${facts![k]}`);
  return {
    changed: true,
    eventIds: [eventId],
    text: `${changedKeys.length ? `Counters recounted (${changedKeys.join(", ")})` : "Counters unchanged"}; inventory_version ${before.inventory_version} → ${after!.inventory_version}.`,
    recountedPoolId: poolId,
    details: { previous, counters: countersOf(after!), inventory_version: after!.inventory_version },
  };
}

/** The status a unit should have from its live booking and active blocks, under locks. */
async function lockUnitFacts(tx: Tx, unitId: string) {
  const bookings = await tx.$queryRaw<{ id: string; status: string }[]>`
    SELECT id, status::text AS status FROM bookings
    WHERE unit_id = ${unitId}::uuid AND status IN ('TENTATIVE', 'CONFIRMED', 'FULFILLED') FOR UPDATE`;
  const units = await tx.$queryRaw<{ id: string; code: string; pool_id: string; status: string }[]>`
    SELECT id, code, pool_id, status::text AS status FROM units WHERE id = ${unitId}::uuid FOR UPDATE`;
  const unit = units[0];
  if (!unit) throw new DomainError("NOT_FOUND", `Unit ${unitId} was not found.`);
  const [block] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM maintenance_blocks WHERE unit_id = ${unitId}::uuid AND status = 'ACTIVE'`;
  const live = bookings[0];
  const expected =
    live?.status === "TENTATIVE"
      ? "HELD"
      : live?.status === "CONFIRMED"
        ? "BOOKED"
        : live?.status === "FULFILLED"
          ? "OCCUPIED"
          : unit.status === "RETIRED"
            ? "RETIRED"
            : block!.n > 0
              ? "BLOCKED"
              : "AVAILABLE";
  return { unit, expected, live };
}

async function setUnitStatus(tx: Tx, unitId: string, status: string, now?: Date): Promise<void> {
  await tx.$executeRaw`
    UPDATE units SET status = ${status}::"UnitStatus", status_changed_at = coalesce(${now ?? null}::timestamptz, now())
    WHERE id = ${unitId}::uuid`;
}

async function correctUnit(tx: Tx, discrepancy: LockedDiscrepancy, actor: Actor, now?: Date): Promise<Outcome> {
  const { unit, expected } = await lockUnitFacts(tx, discrepancy.unit_id!);
  if (unit.status === expected) {
    return { changed: false, eventIds: [], text: `Unit ${unit.code} is ${expected} already: nothing was changed.` };
  }
  await setUnitStatus(tx, unit.id, expected, now);
  const recount = await recountPool(tx, unit.pool_id, actor, {
    discrepancyId: discrepancy.id,
    unit: { unit_code: unit.code, from: unit.status, to: expected },
    now,
  });
  return { ...recount, text: `Unit ${unit.code} ${unit.status} → ${expected}. ${recount.text}` };
}

/**
 * HOLDABLE: the pool's `available` against what a hold can take (HOLDABLE_UNIT,
 * docs/availability.md). Each AVAILABLE unit a hold cannot take — a live booking or an
 * active block stands on it — gets the status its facts give (locked as correctUnit
 * does), then the pool is recounted under its lock; one inventory.corrected names the
 * units. Afterwards `available` counts exactly the holdable units.
 */
async function correctHoldable(tx: Tx, discrepancy: LockedDiscrepancy, actor: Actor, now?: Date): Promise<Outcome> {
  const poolId = discrepancy.pool_id!;
  const stray = await tx.$queryRaw<{ id: string }[]>`
    SELECT u.id FROM units u WHERE u.pool_id = ${poolId}::uuid AND u.status = 'AVAILABLE' AND NOT ${HOLDABLE_UNIT} ORDER BY u.id`;
  const units: { unit_code: string; from: string; to: string }[] = [];
  const settledUnitIds: string[] = [];
  for (const { id } of stray) {
    const { unit, expected } = await lockUnitFacts(tx, id);
    if (unit.status === expected) continue;
    await setUnitStatus(tx, unit.id, expected, now);
    units.push({ unit_code: unit.code, from: unit.status, to: expected });
    settledUnitIds.push(unit.id);
  }
  const recount = await recountPool(tx, poolId, actor, { discrepancyId: discrepancy.id, units, now });
  const fixed = units.map((u) => `unit ${u.unit_code} ${u.from} → ${u.to}`).join(", ");
  return {
    ...recount,
    settledUnitIds,
    text: fixed ? `${fixed[0]!.toUpperCase()}${fixed.slice(1)}. ${recount.text}` : recount.text,
    details: { ...recount.details, units },
  };
}

async function expireHold(tx: Tx, discrepancy: LockedDiscrepancy, actor: Actor, now?: Date): Promise<Outcome> {
  const at = now ?? new Date();
  const bookings = await tx.$queryRaw<
    { id: string; reference: string; unit_id: string; facility_id: string; partner_id: string; status: string; hold_expires_at: Date }[]
  >`
    SELECT id, reference, unit_id, facility_id, partner_id, status::text AS status, hold_expires_at
    FROM bookings WHERE id = ${discrepancy.booking_id}::uuid FOR UPDATE`;
  const booking = bookings[0];
  if (!booking) throw new DomainError("NOT_FOUND", `Booking ${discrepancy.booking_id} was not found.`);
  if (booking.status !== "TENTATIVE" || booking.hold_expires_at > at) {
    return { changed: false, eventIds: [], text: `Booking ${booking.reference} is ${booking.status} now: nothing was changed.` };
  }
  const version = await bumpBooking(tx, booking.id, { status: "EXPIRED", expiredAt: at }, null, at);
  await appendBookingEvent(tx, booking, actor, {
    type: "booking.expired",
    version,
    now,
    data: { status: "expired", hold_expired_at: booking.hold_expires_at.toISOString(), cause: "reconciliation" },
  });
  const { unit, expected } = await lockUnitFacts(tx, booking.unit_id);
  if (unit.status !== expected) await setUnitStatus(tx, unit.id, expected, now);
  const recount = await recountPool(tx, unit.pool_id, actor, {
    discrepancyId: discrepancy.id,
    unit: { unit_code: unit.code, from: unit.status, to: expected, booking_reference: booking.reference },
    now,
  });
  await tx.$executeRaw`UPDATE bookings SET inventory_version = (SELECT inventory_version FROM inventory_pools WHERE id = ${unit.pool_id}::uuid)
                       WHERE id = ${booking.id}::uuid`;
  return {
    ...recount,
    changed: true,
    text: `Booking ${booking.reference} expired; unit ${unit.code} ${unit.status} → ${expected}. ${recount.text}`,
  };
}

/** Re-announces a pool's state as it is: inventory.corrected at the next version. */
async function reannouncePool(tx: Tx, poolId: string, actor: Actor, discrepancyId: string, now?: Date): Promise<Outcome> {
  await lockPool(tx, poolId);
  const [after] = await tx.$queryRaw<PoolRow[]>`
    UPDATE inventory_pools p SET inventory_version = inventory_version + 1, updated_at = coalesce(${now ?? null}::timestamptz, now())
    FROM facilities f, unit_types ut
    WHERE p.id = ${poolId}::uuid AND f.id = p.facility_id AND ut.id = p.unit_type_id
    RETURNING p.id, p.facility_id, f.code AS facility_code, ut.code AS unit_type_code, p.total, p.available, p.held, p.booked,
              p.occupied, p.blocked, p.inventory_version`;
  const eventId = await poolCorrectedEvent(tx, after!, actor, { reannounced: true, discrepancy_id: discrepancyId }, now);
  return {
    changed: true,
    eventIds: [eventId],
    text: `Pool ${after!.facility_code} ${after!.unit_type_code} re-announced to partners at inventory_version ${after!.inventory_version} (${after!.available} available).`,
    reannouncedPoolId: poolId,
  };
}

async function correctAccess(tx: Tx, discrepancy: LockedDiscrepancy, actor: Actor, now?: Date): Promise<Outcome> {
  const at = now ?? new Date();
  const bookings = await tx.$queryRaw<
    { id: string; reference: string; unit_id: string; facility_id: string; partner_id: string; status: string }[]
  >`SELECT id, reference, unit_id, facility_id, partner_id, status::text AS status FROM bookings WHERE id = ${discrepancy.booking_id}::uuid FOR UPDATE`;
  const booking = bookings[0];
  if (!booking) throw new DomainError("NOT_FOUND", `Booking ${discrepancy.booking_id} was not found.`);

  if (discrepancy.fingerprint.startsWith("ACCESS_GRANT:grant:")) {
    const grantId = discrepancy.fingerprint.slice("ACCESS_GRANT:grant:".length);
    const grants = await tx.$queryRaw<{ id: string; status: string; unit_id: string }[]>`
      SELECT id, status::text AS status, unit_id FROM access_grants WHERE id = ${grantId}::uuid FOR UPDATE`;
    const grant = grants[0];
    if (!grant || grant.status !== "ACTIVE" || (booking.status === "FULFILLED" && grant.unit_id === booking.unit_id)) {
      return { changed: false, eventIds: [], text: `The access grant is in line with booking ${booking.reference} now: nothing was changed.` };
    }
    const reason = `Reconciliation: booking ${booking.reference} is ${booking.status}`;
    await tx.$executeRaw`
      UPDATE access_grants SET status = 'REVOKED', revoked_at = ${at}, revoke_reason = ${reason} WHERE id = ${grant.id}::uuid`;
    const version = await bumpBooking(tx, booking.id, {}, null, at);
    await appendBookingEvent(tx, booking, actor, {
      type: "access.revoked",
      version,
      now,
      data: { access_grant_id: grant.id, revoked_at: at.toISOString(), reason, cause: "reconciliation" },
    });
    const eventId = await lastEventId(tx, booking.id);
    return { changed: true, eventIds: [eventId], text: `Access grant revoked (booking ${booking.reference} is ${booking.status}).`, details: { access_grant_id: grant.id } };
  }

  // A moved-in booking without a code for its unit: issue one, as at move-in.
  const [active] = await tx.$queryRaw<{ n: number }[]>`
    SELECT count(*)::int AS n FROM access_grants WHERE booking_id = ${booking.id}::uuid AND status = 'ACTIVE' AND unit_id = ${booking.unit_id}::uuid`;
  if (booking.status !== "FULFILLED" || active!.n > 0) {
    return { changed: false, eventIds: [], text: `Booking ${booking.reference} needs no new access code now: nothing was changed.` };
  }
  // At most one active grant per booking: one on another unit is revoked first.
  const stale = await tx.$queryRaw<{ id: string }[]>`
    UPDATE access_grants SET status = 'REVOKED', revoked_at = ${at}, revoke_reason = 'Reconciliation: replaced by a grant for the booking''s unit'
    WHERE booking_id = ${booking.id}::uuid AND status = 'ACTIVE' RETURNING id`;
  const grant = await tx.accessGrant.create({
    data: {
      bookingId: booking.id,
      unitId: booking.unit_id,
      codeCiphertext: newGateCodeCiphertext(),
      issuedAt: at,
    },
  });
  const version = await bumpBooking(tx, booking.id, {}, null, at);
  for (const staleGrant of stale) {
    await appendBookingEvent(tx, booking, actor, {
      type: "access.revoked",
      version,
      now,
      data: { access_grant_id: staleGrant.id, revoked_at: at.toISOString(), reason: "Reconciliation: replaced", cause: "reconciliation" },
    });
  }
  await appendBookingEvent(tx, booking, actor, {
    type: "access.granted",
    version,
    now,
    data: { access_grant_id: grant.id, issued_at: at.toISOString(), cause: "reconciliation" },
  });
  const eventId = await lastEventId(tx, booking.id);
  return { changed: true, eventIds: [eventId], text: `New access code issued for booking ${booking.reference}.`, details: { access_grant_id: grant.id } };
}

async function lastEventId(tx: Tx, bookingId: string): Promise<string> {
  const [row] = await tx.$queryRaw<{ id: string }[]>`
    SELECT id FROM events WHERE booking_id = ${bookingId}::uuid ORDER BY seq DESC LIMIT 1`;
  return row!.id;
}

/** Closes the other open discrepancies the correction settled; returns their ids. */
async function closeSettledByPool(tx: Tx, correctedId: string, outcome: Outcome, actor: Actor): Promise<string[]> {
  const kinds: string[] = [];
  let poolId: string | null = null;
  if (outcome.recountedPoolId) {
    kinds.push("POOL_COUNTER");
    poolId = outcome.recountedPoolId;
  }
  if (outcome.reannouncedPoolId) {
    kinds.push("PARTNER_SNAPSHOT", "PARTNER_VERSION");
    poolId = outcome.reannouncedPoolId;
  }
  if (outcome.recountedPoolId) {
    // A recount settles the pool's HOLDABLE drift only when every AVAILABLE unit is one a hold can take.
    const [left] = await tx.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM units u WHERE u.pool_id = ${outcome.recountedPoolId}::uuid AND u.status = 'AVAILABLE' AND NOT ${HOLDABLE_UNIT}`;
    if (!left?.n) kinds.push("HOLDABLE");
  }
  if (!poolId) return [];
  const settledUnitIds = outcome.settledUnitIds ?? [];
  const rows = await tx.$queryRaw<{ id: string }[]>`
    UPDATE discrepancies SET status = 'CORRECTED', resolved_at = now(), resolution = ${`Settled by the correction of discrepancy ${correctedId}. ${outcome.text}`},
           closed_seq = ${NEXT_CLOSED_SEQ}, resolved_by_id = ${actor.type === "USER" ? actor.id : null}::uuid
    WHERE status = 'OPEN' AND id <> ${correctedId}::uuid
      AND ((pool_id = ${poolId}::uuid AND kind::text = ANY(${kinds}::text[]))
           OR (kind = 'UNIT_STATUS' AND unit_id = ANY(${settledUnitIds}::uuid[])))
    RETURNING id`;
  return rows.map((r) => r.id);
}
