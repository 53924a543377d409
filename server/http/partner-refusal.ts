import { recordRefusal, type RefusalTarget } from "../domain/audit/record-refusal";
import type { Actor } from "../domain/shared/actor";
import { isAudited } from "../domain/shared/authorize";
import type { DomainError } from "../domain/shared/errors";

/**
 * Which partner API mutations act on one thing named in their path, the audit action
 * each is audited under when it succeeds, and that thing. A refusal of one of them (a
 * confirm answered HOLD_EXPIRED, a cancel of another partner's booking…) is audited
 * against it, so a refused call on a booking shows on the booking's timeline with its
 * code and detail.
 */
const PATH_MUTATIONS: Record<string, { method: string; action: string; target: (params: Record<string, string>) => RefusalTarget | null }> = {
  "/api/v1/bookings/{reference}/confirm": { method: "POST", action: "booking.confirm", target: booking },
  "/api/v1/bookings/{reference}/cancel": { method: "POST", action: "booking.cancel", target: booking },
  "/api/v1/bookings/{reference}/fulfil": { method: "POST", action: "booking.fulfil", target: booking },
  "/api/v1/bookings/{reference}/move-out": { method: "POST", action: "booking.move_out", target: booking },
  "/api/v1/bookings/{reference}/access": { method: "GET", action: "access.reveal", target: booking },
  "/api/v1/webhook-endpoints/{id}": { method: "DELETE", action: "webhook_endpoint.delete", target: endpoint },
  "/api/v1/webhook-endpoints/{id}/rotate-secret": { method: "POST", action: "webhook_endpoint.rotate_secret", target: endpoint },
};

function booking(params: Record<string, string>): RefusalTarget | null {
  return params.reference ? { type: "booking", id: params.reference } : null;
}

function endpoint(params: Record<string, string>): RefusalTarget | null {
  return params.id ? { type: "webhook_endpoint", id: params.id } : null;
}

export interface PartnerRefusal {
  /** the route pattern, as partnerRoute names it */
  route: string;
  method: string;
  params: Record<string, string>;
  actor: Actor;
  error: DomainError;
}

/**
 * Audits a refused partner call on something its path names through the one refusal
 * writer (which decides whether the code is audited at all, and never throws). Other
 * routes: nothing.
 */
export async function recordPartnerRefusal(refusal: PartnerRefusal): Promise<void> {
  const mutation = PATH_MUTATIONS[refusal.route];
  if (!mutation || mutation.method !== refusal.method) return;
  // A refusal from authorize() was audited where it was raised.
  if (isAudited(refusal.error)) return;
  const target = mutation.target(refusal.params);
  if (!target) return;
  await recordRefusal(refusal.actor, {
    action: mutation.action,
    code: refusal.error.code,
    detail: refusal.error.message,
    target,
    metadata: {
      partner: refusal.actor.label,
      request: `${refusal.method} ${refusal.route}`,
      status: refusal.error.status,
      ...(Object.keys(refusal.error.context).length ? { context: refusal.error.context } : {}),
    },
  });
}
