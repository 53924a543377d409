import type { BookingStatus } from "../../generated/prisma/enums";
import type { Tx } from "../shared/tx";
import { allowedActions, effectiveStatus, type BookingAction } from "./lifecycle";

/** A booking as the API and the console show it (DESIGN.md §2 field list). */
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

export async function loadBookingView(tx: Tx, bookingId: string, now = new Date()): Promise<BookingView> {
  const booking = await tx.booking.findUniqueOrThrow({ where: { id: bookingId }, include: bookingViewInclude });
  return toBookingView(booking, now);
}
