import { getDb } from "../../db";
import type { Actor } from "@/server/domain/shared/actor";
import { inScope } from "@/server/domain/shared/facility-scope";
import { DomainError } from "@/server/domain/shared/errors";

/** What the booking screen shows about access: never the code itself (docs/domain.md#gate-codes). */
export interface BookingAccessView {
  /** the live grant (ACTIVE or SUSPENDED), or null: none issued yet, or revoked */
  grant: { id: string; status: "ACTIVE" | "SUSPENDED"; issuedAt: Date; suspendedAt: Date | null } | null;
  /** grants this booking had that are revoked now, newest first */
  revoked: { id: string; revokedAt: Date | null; revokeReason: string | null }[];
  /** the ACTIVE block on the booking's unit (an overlock or lock fault while occupied, or the cleaning after move-out) */
  unitBlock: { id: string; reason: string; startsAt: Date; endsAt: Date | null; note: string } | null;
}

/** A booking's access state, if the actor may see the booking (partners: their own; users: their facilities). */
export async function getBookingAccess(reference: string, actor: Actor): Promise<BookingAccessView> {
  const booking = await getDb().booking.findFirst({
    where: { reference, ...(actor.type === "PARTNER" ? { partnerId: actor.id } : {}), ...inScope(actor) },
    select: {
      unitId: true,
      accessGrants: {
        orderBy: { issuedAt: "desc" },
        take: 20,
        select: { id: true, status: true, issuedAt: true, suspendedAt: true, revokedAt: true, revokeReason: true },
      },
    },
  });
  if (!booking) throw new DomainError("NOT_FOUND", `Booking ${reference} was not found.`);
  const block = await getDb().maintenanceBlock.findFirst({
    where: { unitId: booking.unitId, status: "ACTIVE" },
    orderBy: { startsAt: "asc" },
    select: { id: true, reason: true, startsAt: true, endsAt: true, note: true },
  });
  const live = booking.accessGrants.find((g) => g.status === "ACTIVE" || g.status === "SUSPENDED");
  return {
    grant: live ? { id: live.id, status: live.status as "ACTIVE" | "SUSPENDED", issuedAt: live.issuedAt, suspendedAt: live.suspendedAt } : null,
    revoked: booking.accessGrants.filter((g) => g.status === "REVOKED").map((g) => ({ id: g.id, revokedAt: g.revokedAt, revokeReason: g.revokeReason })),
    unitBlock: block,
  };
}
