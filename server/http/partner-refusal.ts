import { recordRefusal } from "../domain/audit/record-refusal";
import type { Actor } from "../domain/shared/actor";
import type { DomainError } from "../domain/shared/errors";

/**
 * Which partner API mutations act on a booking, and the audit action each is audited
 * under when it succeeds. A refusal of one of them (a confirm answered HOLD_EXPIRED, a
 * cancel of another partner's booking…) is audited against the booking, so it shows on
 * the booking's timeline with its code and detail.
 */
const BOOKING_MUTATIONS: Record<string, { method: string; action: string }> = {
  "/api/v1/bookings/{reference}/confirm": { method: "POST", action: "booking.confirm" },
  "/api/v1/bookings/{reference}/cancel": { method: "POST", action: "booking.cancel" },
  "/api/v1/bookings/{reference}/fulfil": { method: "POST", action: "booking.fulfil" },
};

export interface PartnerRefusal {
  /** the route pattern, as partnerRoute names it */
  route: string;
  method: string;
  params: Record<string, string>;
  actor: Actor;
  error: DomainError;
}

/**
 * Audits a refused partner call on a booking through the one refusal writer (which
 * decides whether the code is audited at all, and never throws). Other routes: nothing.
 */
export async function recordPartnerRefusal(refusal: PartnerRefusal): Promise<void> {
  const mutation = BOOKING_MUTATIONS[refusal.route];
  const reference = refusal.params.reference;
  if (!mutation || mutation.method !== refusal.method || !reference) return;
  await recordRefusal(refusal.actor, {
    action: mutation.action,
    code: refusal.error.code,
    detail: refusal.error.message,
    target: { type: "booking", id: reference },
    metadata: {
      partner: refusal.actor.label,
      request: `${refusal.method} ${refusal.route}`,
      status: refusal.error.status,
      ...(Object.keys(refusal.error.context).length ? { context: refusal.error.context } : {}),
    },
  });
}
