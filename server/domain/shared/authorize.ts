import { CAPABILITIES, type ActorScope, type Capability } from "@/shared/permissions";
import { recordRefusal, type RefusalTarget } from "../audit/record-refusal";
import type { Actor } from "./actor";
import { DomainError } from "./errors";

/**
 * The one authorization check of the domain (docs/conventions.md#authorization). Every
 * mutating service starts with `await authorize(actor, capability, { facilityId, target })`:
 *
 * - the capability table (shared/permissions.ts) says which console permission
 *   grants it to a user and which API-key scope grants it to a partner; the system's own
 *   jobs hold every capability;
 * - a facility outside the actor's facilities (a site manager's own, an API key's facility
 *   limits) is NOT_FOUND, as a record the actor may not see is everywhere;
 * - a refusal is audited here, through the one refusal writer, so it is audited whichever
 *   transport (or job, or script) called the service. The error is marked `audited`, and
 *   the transports' own refusal hooks do not write it again.
 *
 * Transports may check earlier for the UI (hiding a button, a 403 before reading a body);
 * this check is the one that holds.
 */
export async function authorize(
  actor: Actor,
  capability: Capability,
  where: { facilityId?: string | null; target?: RefusalTarget | null } = {},
): Promise<void> {
  if (!holds(actor, capability)) {
    const error = new DomainError("FORBIDDEN", deniedMessage(actor, capability), { required_capability: capability });
    await recordRefusal(actor, { action: capability, code: "FORBIDDEN", detail: error.message, permission: capability, target: where.target ?? null });
    throw markAudited(error);
  }
  if (where.facilityId !== undefined && where.facilityId !== null && !inFacilityScope(actor, where.facilityId)) {
    const what = where.target ? `${where.target.type.replace(/_/g, " ")} ${where.target.id ?? ""}`.trim() : "That record";
    const error = new DomainError("NOT_FOUND", `${capitalise(what)} was not found.`);
    await recordRefusal(actor, {
      action: capability,
      code: "NOT_FOUND",
      detail: error.message,
      target: { type: where.target?.type ?? "facility", id: where.target?.id ?? where.facilityId, facilityId: where.facilityId },
    });
    throw markAudited(error);
  }
}

/** Whether the actor holds the capability at all (for lists, menus, early checks). */
export function holds(actor: Actor, capability: Capability): boolean {
  const grant = CAPABILITIES[capability];
  switch (actor.type) {
    case "SYSTEM":
      return true;
    case "USER":
      return grant.permission !== null && hasScope(actor, grant.permission);
    case "PARTNER":
      return grant.scope !== null && hasScope(actor, grant.scope);
    case "PAYMENT_PROVIDER":
      return "paymentProvider" in grant && grant.paymentProvider === true;
    default:
      return false;
  }
}

/** Whether a record of `facilityId` is within the actor's facilities (null: all). */
export function inFacilityScope(actor: Actor, facilityId: string): boolean {
  return actor.facilityIds === null || actor.facilityIds.includes(facilityId);
}

/** Whether the error was audited where it was raised (transports do not audit it again). */
export function isAudited(error: unknown): boolean {
  return error instanceof DomainError && AUDITED.has(error);
}

const AUDITED = new WeakSet<DomainError>();

function markAudited(error: DomainError): DomainError {
  AUDITED.add(error);
  return error;
}

function hasScope(actor: Actor, scope: ActorScope): boolean {
  return actor.scopes.includes(scope);
}

function deniedMessage(actor: Actor, capability: Capability): string {
  const grant = CAPABILITIES[capability];
  if (actor.type === "PARTNER") {
    return grant.scope ? `This API key lacks the ${grant.scope} scope.` : "Partners cannot do that through the API.";
  }
  if (actor.type === "USER") {
    return grant.permission ? `Your role lacks the ${grant.permission} permission.` : "Only partners do that, through the API.";
  }
  return "You do not have permission to do that.";
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
