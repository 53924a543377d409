import { z } from "zod";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { parseOrRefuse } from "@/server/domain/shared/validation";
import { lockBookingForActor } from "../bookings/lock-booking";
import { appendBookingEvent, bumpBooking } from "../bookings/transition-booking";
import { newGateCodeCiphertext, requireLiveGrant } from "./access-grants";

export const RegenerateAccessCodeInput = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export type RegenerateAccessCodeInput = z.input<typeof RegenerateAccessCodeInput>;

export interface RegeneratedAccessCode {
  reference: string;
  revokedAccessGrantId: string;
  accessGrantId: string;
  status: "ACTIVE" | "SUSPENDED";
  issuedAt: Date;
}

/**
 * Replaces a moved-in tenant's gate code (docs/domain.md#gate-codes): the live grant is
 * revoked with the reason and a new one issued, in the same state (a suspended grant's
 * successor stays suspended until its unit's block ends). One booking version, with
 * access.revoked and access.granted; the new code is not returned — revealing it is a
 * reveal, counted and audited like any other.
 */
export async function regenerateAccessCode(
  reference: string,
  raw: RegenerateAccessCodeInput,
  actor: Actor,
  options: ServiceOptions = {},
): Promise<RegeneratedAccessCode> {
  await authorize(actor, "access.regenerate", { target: { type: "booking", id: reference } });
  const input = parseOrRefuse(RegenerateAccessCodeInput, raw);
  const now = options.now ?? new Date();
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const old = await requireLiveGrant(tx, booking);
    await tx.accessGrant.update({
      where: { id: old.id },
      data: { status: "REVOKED", revokedAt: now, revokeReason: input.reason },
    });
    const grant = await tx.accessGrant.create({
      data: {
        bookingId: booking.id,
        unitId: booking.unit_id,
        codeCiphertext: newGateCodeCiphertext(),
        status: old.status,
        issuedAt: now,
        suspendedAt: old.status === "SUSPENDED" ? now : null,
      },
      select: { id: true, status: true, issuedAt: true },
    });
    const version = await bumpBooking(tx, booking.id, {}, null, now);
    await appendBookingEvent(tx, booking, actor, {
      type: "access.revoked",
      version,
      now: options.now,
      data: { access_grant_id: old.id, revoked_at: now.toISOString(), reason: input.reason },
    });
    await appendBookingEvent(tx, booking, actor, {
      type: "access.granted",
      version,
      now: options.now,
      data: { access_grant_id: grant.id, issued_at: now.toISOString(), status: grant.status.toLowerCase(), replaces: old.id },
    });
    await writeAudit(tx, actor, {
      action: "access.regenerate",
      targetType: "booking",
      targetId: booking.reference,
      facilityId: booking.facility_id,
      reason: input.reason,
      metadata: { revoked_access_grant_id: old.id, access_grant_id: grant.id, grant_status: grant.status },
      at: options.now,
    });
    return {
      reference: booking.reference,
      revokedAccessGrantId: old.id,
      accessGrantId: grant.id,
      status: grant.status as "ACTIVE" | "SUSPENDED",
      issuedAt: grant.issuedAt,
    };
  });
}
