import { systemActor } from "@/server/domain/shared/actor";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { advanceBooking } from "./transition-booking";

/**
 * Releases holds whose TTL has passed, in bulk (run by a worker job every few seconds).
 * Bookings are claimed with SKIP LOCKED, so two workers never fight over one, and handled
 * in pool order, so two batches take pool locks in the same order and cannot deadlock.
 * Returns how many expired; call again while it returns `limit`.
 */
export async function expireHolds(
  options: ServiceOptions & { limit?: number; correlationId?: string } = {},
): Promise<number> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 200;
  const actor = systemActor("expire-holds", options.correlationId ?? `cor_expire_${now.getTime()}`);
  return inTransaction(options, async (tx) => {
    const due = await tx.$queryRaw<
      { id: string; reference: string; unit_id: string; facility_id: string; partner_id: string; hold_expires_at: Date }[]
    >`
      SELECT id, reference, unit_id, facility_id, partner_id, hold_expires_at FROM bookings
      WHERE status = 'TENTATIVE' AND hold_expires_at <= ${now}
      ORDER BY pool_id, hold_expires_at
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED`;
    for (const booking of due) {
      await advanceBooking(tx, booking, actor, {
        unit: { from: "HELD", to: "AVAILABLE" },
        changes: { status: "EXPIRED", expiredAt: now },
        event: "booking.expired",
        data: { status: "expired", hold_expired_at: booking.hold_expires_at.toISOString() },
        simulatedNow: options.now,
      }, now);
      await writeAudit(tx, actor, {
        action: "booking.expire",
        targetType: "booking",
        targetId: booking.reference,
        facilityId: booking.facility_id,
        at: options.now,
      });
    }
    return due.length;
  });
}
