import type { BookingStatus } from "../../generated/prisma/enums";
import type { Tx } from "@/server/domain/shared/tx";
import { allowedActions, effectiveStatus, type BookingAction } from "./lifecycle";

/** A booking as the API and the console show it (fields: docs/partner-api.md#resources). */
export interface BookingView {
  id: string;
  reference: string;
  status: BookingStatus;
  facilityId: string;
  facilityCode: string;
  facilityTimezone: string;
  unitTypeCode: string;
  unitCode: string;
  partnerId: string;
  partnerCode: string;
  partnerBookingReference: string;
  customer: { name: string; email: string; phone: string | null };
  /** when the customer's personal data was erased (docs/domain.md#erasing-a-customer) */
  customerErasedAt: Date | null;
  moveInDate: string;
  holdExpiresAt: Date;
  inventoryVersion: number;
  version: number;
  idempotencyKey: string | null;
  correlationId: string | null;
  lastEventAt: Date;
  createdAt: Date;
  confirmedAt: Date | null;
  fulfilledAt: Date | null;
  cancelledAt: Date | null;
  expiredAt: Date | null;
  cancelReason: string | null;
  cancelledBy: string | null;
  movedOutAt: Date | null;
  monthlyRateCents: number;
  allowedActions: readonly BookingAction[];
}

export const bookingViewInclude = {
  facility: { select: { code: true, timezone: true } },
  unitType: { select: { code: true } },
  unit: { select: { code: true } },
  partner: { select: { code: true } },
} as const;

type BookingWithRelations = {
  id: string;
  reference: string;
  status: BookingStatus;
  facilityId: string;
  partnerId: string;
  partnerBookingReference: string;
  customerName: string;
  customerEmail: string;
  customerPhone: string | null;
  customerErasedAt: Date | null;
  moveInDate: Date;
  holdExpiresAt: Date;
  inventoryVersion: number;
  version: number;
  idempotencyKey: string | null;
  correlationId: string | null;
  lastEventAt: Date;
  createdAt: Date;
  confirmedAt: Date | null;
  fulfilledAt: Date | null;
  cancelledAt: Date | null;
  expiredAt: Date | null;
  cancelReason: string | null;
  cancelledBy: string | null;
  movedOutAt: Date | null;
  monthlyRateCents: number;
  facility: { code: string; timezone: string };
  unitType: { code: string };
  unit: { code: string };
  partner: { code: string };
};

export function toBookingView(booking: BookingWithRelations, now = new Date()): BookingView {
  const status = effectiveStatus(booking, now);
  return {
    id: booking.id,
    reference: booking.reference,
    status,
    facilityId: booking.facilityId,
    facilityCode: booking.facility.code,
    facilityTimezone: booking.facility.timezone,
    unitTypeCode: booking.unitType.code,
    unitCode: booking.unit.code,
    partnerId: booking.partnerId,
    partnerCode: booking.partner.code,
    partnerBookingReference: booking.partnerBookingReference,
    customer: { name: booking.customerName, email: booking.customerEmail, phone: booking.customerPhone },
    customerErasedAt: booking.customerErasedAt,
    moveInDate: booking.moveInDate.toISOString().slice(0, 10),
    holdExpiresAt: booking.holdExpiresAt,
    inventoryVersion: booking.inventoryVersion,
    version: booking.version,
    idempotencyKey: booking.idempotencyKey,
    correlationId: booking.correlationId,
    lastEventAt: booking.lastEventAt,
    createdAt: booking.createdAt,
    confirmedAt: booking.confirmedAt,
    fulfilledAt: booking.fulfilledAt,
    cancelledAt: booking.cancelledAt,
    expiredAt: booking.expiredAt ?? (status === "EXPIRED" && booking.status === "TENTATIVE" ? booking.holdExpiresAt : null),
    cancelReason: booking.cancelReason,
    cancelledBy: booking.cancelledBy,
    movedOutAt: booking.movedOutAt,
    monthlyRateCents: booking.monthlyRateCents,
    allowedActions: allowedActions(status),
  };
}

/** One booking as a view, in one query (this runs at the end of every booking change). */
/** A transition's answer: the booking as it now is, and whether this call changed it (false: a no-op repeat). */
export type BookingChange = BookingView & { changed: boolean };

export async function loadBookingView(tx: Tx, bookingId: string, now = new Date()): Promise<BookingView> {
  const rows = await tx.$queryRaw<
    {
      id: string;
      reference: string;
      status: BookingStatus;
      facility_id: string;
      partner_id: string;
      partner_booking_reference: string;
      customer_name: string;
      customer_email: string;
      customer_phone: string | null;
      customer_erased_at: Date | null;
      move_in_date: Date;
      hold_expires_at: Date;
      inventory_version: number;
      version: number;
      idempotency_key: string | null;
      correlation_id: string | null;
      last_event_at: Date;
      created_at: Date;
      confirmed_at: Date | null;
      fulfilled_at: Date | null;
      cancelled_at: Date | null;
      expired_at: Date | null;
      cancel_reason: string | null;
      cancelled_by: string | null;
      moved_out_at: Date | null;
      monthly_rate_cents: number;
      facility_code: string;
      facility_timezone: string;
      unit_type_code: string;
      unit_code: string;
      partner_code: string;
    }[]
  >`
    SELECT b.id, b.reference, b.status, b.facility_id, b.partner_id, b.partner_booking_reference, b.customer_name,
           b.customer_email, b.customer_phone, b.customer_erased_at, b.move_in_date, b.hold_expires_at, b.inventory_version, b.version,
           b.idempotency_key, b.correlation_id, b.last_event_at, b.created_at, b.confirmed_at, b.fulfilled_at,
           b.cancelled_at, b.expired_at, b.cancel_reason, b.cancelled_by, b.moved_out_at, b.monthly_rate_cents,
           f.code AS facility_code, f.timezone AS facility_timezone, ut.code AS unit_type_code, u.code AS unit_code,
           p.code AS partner_code
    FROM bookings b
    JOIN facilities f ON f.id = b.facility_id
    JOIN unit_types ut ON ut.id = b.unit_type_id
    JOIN units u ON u.id = b.unit_id
    JOIN partners p ON p.id = b.partner_id
    WHERE b.id = ${bookingId}::uuid`;
  const row = rows[0];
  if (!row) throw new Error(`loadBookingView: booking ${bookingId} does not exist`);
  return toBookingView(
    {
      id: row.id,
      reference: row.reference,
      status: row.status,
      facilityId: row.facility_id,
      partnerId: row.partner_id,
      partnerBookingReference: row.partner_booking_reference,
      customerName: row.customer_name,
      customerEmail: row.customer_email,
      customerPhone: row.customer_phone,
      customerErasedAt: row.customer_erased_at,
      moveInDate: row.move_in_date,
      holdExpiresAt: row.hold_expires_at,
      inventoryVersion: row.inventory_version,
      version: row.version,
      idempotencyKey: row.idempotency_key,
      correlationId: row.correlation_id,
      lastEventAt: row.last_event_at,
      createdAt: row.created_at,
      confirmedAt: row.confirmed_at,
      fulfilledAt: row.fulfilled_at,
      cancelledAt: row.cancelled_at,
      expiredAt: row.expired_at,
      cancelReason: row.cancel_reason,
      cancelledBy: row.cancelled_by,
      movedOutAt: row.moved_out_at,
      monthlyRateCents: row.monthly_rate_cents,
      facility: { code: row.facility_code, timezone: row.facility_timezone },
      unitType: { code: row.unit_type_code },
      unit: { code: row.unit_code },
      partner: { code: row.partner_code },
    },
    now,
  );
}
