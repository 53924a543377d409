import { config } from "../../config";
import type { Actor } from "@/server/domain/shared/actor";
import { authorize } from "@/server/domain/shared/authorize";
import { writeAudit } from "@/server/domain/shared/audit";
import { DomainError } from "@/server/domain/shared/errors";
import { decryptSecret } from "@/server/domain/shared/secrets";
import { inTransaction, type ServiceOptions } from "@/server/domain/shared/transaction";
import { consumeHourlyLimit } from "../rate-limits/consume";
import { lockBookingForActor } from "../bookings/lock-booking";
import { requireLiveGrant } from "./access-grants";

export interface RevealedAccessCode {
  reference: string;
  accessGrantId: string;
  /** ACTIVE, or SUSPENDED while the unit is overlocked (the code opens nothing then) */
  status: "ACTIVE" | "SUSPENDED";
  issuedAt: Date;
  /** the plain gate code: shown to the caller once, never logged, audited or sent by webhook */
  accessCode: string;
}

/** The limiter's bucket for reveals: one per console user or partner. */
export const REVEAL_LIMIT = "access:reveal";

/**
 * Reads a moved-in tenant's gate code (docs/domain.md#gate-codes). Only the roles and the
 * scope the capability table names may (access.reveal: site managers at their own
 * facilities, ops leads, admins; partners with access:read for their own bookings). Every
 * reveal is counted against HOLDFAST_ACCESS_REVEALS_PER_HOUR per actor, before the booking
 * is looked at (so the limit also caps guessing), and audited as access.reveal, naming the
 * grant and never the code.
 */
export async function revealAccessCode(reference: string, actor: Actor, options: ServiceOptions = {}): Promise<RevealedAccessCode> {
  await authorize(actor, "access.reveal", { target: { type: "booking", id: reference } });
  const limit = await consumeHourlyLimit(REVEAL_LIMIT, `${actor.type}:${actor.id}`, config().siteOps.accessRevealsPerHour);
  if (!limit.allowed) {
    throw new DomainError(
      "RATE_LIMITED",
      `At most ${limit.limit} gate codes may be revealed an hour; try again in ${limit.resetSeconds} s.`,
      { limit: limit.limit, retry_after_seconds: limit.resetSeconds },
    );
  }
  return inTransaction(options, async (tx) => {
    const booking = await lockBookingForActor(tx, reference, actor);
    const grant = await requireLiveGrant(tx, booking);
    await writeAudit(tx, actor, {
      action: "access.reveal",
      targetType: "booking",
      targetId: booking.reference,
      facilityId: booking.facility_id,
      metadata: { access_grant_id: grant.id, grant_status: grant.status, reveals_left_this_hour: limit.remaining },
      at: options.now,
    });
    return {
      reference: booking.reference,
      accessGrantId: grant.id,
      status: grant.status as "ACTIVE" | "SUSPENDED",
      issuedAt: grant.issuedAt,
      accessCode: decryptSecret(grant.codeCiphertext),
    };
  });
}
