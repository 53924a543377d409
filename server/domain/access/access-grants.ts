import crypto from "node:crypto";
import type { AccessGrant } from "../../generated/prisma/client";
import { DomainError } from "@/server/domain/shared/errors";
import { encryptSecret } from "@/server/domain/shared/secrets";
import type { Tx } from "@/server/domain/shared/tx";
import { apiStatus } from "../bookings/transition-booking";
import type { LockedBooking } from "../bookings/lock-booking";

/**
 * What the access services (reveal-access-code, regenerate-access-code, and the steps
 * that suspend, restore and revoke a grant) share — docs/domain.md#gate-codes. A booking
 * has at most one live grant: ACTIVE, or SUSPENDED while its unit is overlocked.
 */

export const LIVE_GRANT_STATUSES = ["ACTIVE", "SUSPENDED"] as const;

export type LiveGrant = Pick<AccessGrant, "id" | "status" | "issuedAt" | "suspendedAt" | "codeCiphertext">;

/** A fresh six-digit gate code, encrypted for storage (the plain code is never kept). */
export function newGateCodeCiphertext(): string {
  return encryptSecret(String(crypto.randomInt(0, 1_000_000)).padStart(6, "0"));
}

/** The booking's live grant (the caller holds the booking's row lock), or null. */
export async function liveGrantOf(tx: Tx, bookingId: string): Promise<LiveGrant | null> {
  return tx.accessGrant.findFirst({
    where: { bookingId, status: { in: [...LIVE_GRANT_STATUSES] } },
    orderBy: { issuedAt: "desc" },
    select: { id: true, status: true, issuedAt: true, suspendedAt: true, codeCiphertext: true },
  });
}

/** The booking's live grant, or CONFLICT naming the booking's state: only a moved-in tenant has a code. */
export async function requireLiveGrant(tx: Tx, booking: LockedBooking): Promise<LiveGrant> {
  const grant = booking.status === "FULFILLED" ? await liveGrantOf(tx, booking.id) : null;
  if (!grant) {
    throw new DomainError("CONFLICT", `Booking ${booking.reference} has no live access code: it is ${apiStatus(booking.status)}.`, {
      current_status: apiStatus(booking.status),
      has_access_grant: false,
    });
  }
  return grant;
}
