import type { BookingStatus } from "../../generated/prisma/enums";
import type { Tx } from "../shared/tx";
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
  monthlyRateCents: number;
  facility: { code: string; timezone: string };
  unitType: { code: string };
  unit: { code: string };
  partner: { code: string };
};

export function toBookingView(b: BookingWithRelations, now = new Date()): BookingView {
  const status = effectiveStatus(b, now);
  return {
    id: b.id,
    reference: b.reference,
    status,
    facilityId: b.facilityId,
    facilityCode: b.facility.code,
    facilityTimezone: b.facility.timezone,
    unitTypeCode: b.unitType.code,
    unitCode: b.unit.code,
    partnerId: b.partnerId,
    partnerCode: b.partner.code,
    partnerBookingReference: b.partnerBookingReference,
    customer: { name: b.customerName, email: b.customerEmail, phone: b.customerPhone },
    moveInDate: b.moveInDate.toISOString().slice(0, 10),
    holdExpiresAt: b.holdExpiresAt,
    inventoryVersion: b.inventoryVersion,
    version: b.version,
    idempotencyKey: b.idempotencyKey,
    correlationId: b.correlationId,
    lastEventAt: b.lastEventAt,
    createdAt: b.createdAt,
    confirmedAt: b.confirmedAt,
    fulfilledAt: b.fulfilledAt,
    cancelledAt: b.cancelledAt,
    expiredAt: b.expiredAt ?? (status === "EXPIRED" && b.status === "TENTATIVE" ? b.holdExpiresAt : null),
    cancelReason: b.cancelReason,
    cancelledBy: b.cancelledBy,
    monthlyRateCents: b.monthlyRateCents,
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
      monthly_rate_cents: number;
      facility_code: string;
      facility_timezone: string;
      unit_type_code: string;
      unit_code: string;
      partner_code: string;
    }[]
  >`
    SELECT b.id, b.reference, b.status, b.facility_id, b.partner_id, b.partner_booking_reference, b.customer_name,
           b.customer_email, b.customer_phone, b.move_in_date, b.hold_expires_at, b.inventory_version, b.version,
           b.idempotency_key, b.correlation_id, b.last_event_at, b.created_at, b.confirmed_at, b.fulfilled_at,
           b.cancelled_at, b.expired_at, b.cancel_reason, b.cancelled_by, b.monthly_rate_cents,
           f.code AS facility_code, f.timezone AS facility_timezone, ut.code AS unit_type_code, u.code AS unit_code,
           p.code AS partner_code
    FROM bookings b
    JOIN facilities f ON f.id = b.facility_id
    JOIN unit_types ut ON ut.id = b.unit_type_id
    JOIN units u ON u.id = b.unit_id
    JOIN partners p ON p.id = b.partner_id
    WHERE b.id = ${bookingId}::uuid`;
  const r = rows[0];
  if (!r) throw new Error(`loadBookingView: booking ${bookingId} does not exist`);
  return toBookingView(
    {
      id: r.id,
      reference: r.reference,
      status: r.status,
      facilityId: r.facility_id,
      partnerId: r.partner_id,
      partnerBookingReference: r.partner_booking_reference,
      customerName: r.customer_name,
      customerEmail: r.customer_email,
      customerPhone: r.customer_phone,
      moveInDate: r.move_in_date,
      holdExpiresAt: r.hold_expires_at,
      inventoryVersion: r.inventory_version,
      version: r.version,
      idempotencyKey: r.idempotency_key,
      correlationId: r.correlation_id,
      lastEventAt: r.last_event_at,
      createdAt: r.created_at,
      confirmedAt: r.confirmed_at,
      fulfilledAt: r.fulfilled_at,
      cancelledAt: r.cancelled_at,
      expiredAt: r.expired_at,
      cancelReason: r.cancel_reason,
      cancelledBy: r.cancelled_by,
      monthlyRateCents: r.monthly_rate_cents,
      facility: { code: r.facility_code, timezone: r.facility_timezone },
      unitType: { code: r.unit_type_code },
      unit: { code: r.unit_code },
      partner: { code: r.partner_code },
    },
    now,
  );
}
