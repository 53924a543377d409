import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { ERASED, maskCustomerData } from "../request-log/mask-customer-data";
import { loadBookingView, type BookingChange } from "./booking-view";
import { lockBookingForActor } from "./lock-booking";
import { appendBookingEvent } from "./transition-booking";

export const EraseCustomerInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export type EraseCustomerInput = z.input<typeof EraseCustomerInput>;

/**
 * Erases a customer's personal data on request (docs/domain.md#erasing-a-customer): the
 * booking's name, e-mail and phone, and the customer fields of the stored idempotent
 * answers and of the request-log bodies that name the booking. The booking's facts
 * (status, dates, unit, rate), the counters and the events stay; a `customer.erased`
 * event tells partners, and the audit entry keeps who asked and why. Erasing twice is a
 * no-op.
 */
export async function eraseCustomer(
  reference: string,
  raw: EraseCustomerInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<BookingChange> {
  await authorize(actor, "customer.erase", { target: { type: "booking", id: reference } });
  const input = parseOrRefuse(EraseCustomerInput, raw);
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const { customerErasedAt } = await tx.booking.findUniqueOrThrow({ where: { id: booking.id }, select: { customerErasedAt: true } });
    if (customerErasedAt) return { ...(await loadBookingView(tx, booking.id, now)), changed: false };

    const version = booking.version + 1;
    await tx.booking.update({
      where: { id: booking.id },
      data: { customerName: ERASED, customerEmail: ERASED, customerPhone: null, customerErasedAt: now, version, lastEventAt: now, updatedAt: now },
    });

    const stored = await tx.idempotencyRecord.findMany({ where: { bookingId: booking.id, responseBody: { not: null } }, select: { id: true, responseBody: true } });
    for (const record of stored) {
      await tx.idempotencyRecord.update({ where: { id: record.id }, data: { responseBody: maskCustomerData(record.responseBody, ERASED) } });
    }
    const logged = await tx.apiRequestLog.findMany({
      where: { bookingReferences: { has: reference } },
      select: { id: true, requestBody: true, responseBody: true },
    });
    for (const row of logged) {
      await tx.apiRequestLog.update({
        where: { id: row.id },
        data: { requestBody: maskCustomerData(row.requestBody, ERASED), responseBody: maskCustomerData(row.responseBody, ERASED) },
      });
    }

    await appendBookingEvent(tx, booking, actor, { type: "customer.erased", version, now: options.now, data: { erased_at: now.toISOString() } });
    await writeAudit(tx, actor, {
      action: "booking.erase_customer",
      targetType: "booking",
      targetId: reference,
      facilityId: booking.facility_id,
      reason: input.reason,
      metadata: { idempotency_records: stored.length, request_log_rows: logged.length },
      at: options.now,
    });
    return { ...(await loadBookingView(tx, booking.id, now)), changed: true };
  });
}
