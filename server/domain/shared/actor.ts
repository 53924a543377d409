/**
 * Who is acting, passed explicitly into every domain service
 * (docs/conventions.md#layers-and-imports). `facilityIds: null` means every facility.
 */
import { facilityScope, permissionsOf, type ActorScope, type PermissionSubject } from "@/shared/permissions";

export type ActorType = "USER" | "PARTNER" | "SYSTEM" | "PAYMENT_PROVIDER";

export interface Actor {
  type: ActorType;
  /** user id, partner id, or a system job name */
  id: string;
  /** what the audit log shows: an email, a partner code, a job name */
  label: string;
  /** API key scopes for partners; permissions for users (one vocabulary: shared/permissions.ts) */
  scopes: readonly ActorScope[];
  facilityIds: readonly string[] | null;
  correlationId: string;
  ip?: string | null;
  userAgent?: string | null;
  /** the API key used, for partners */
  apiKeyId?: string | null;
}

export function systemActor(job: string, correlationId: string): Actor {
  return { type: "SYSTEM", id: job, label: `system:${job}`, scopes: [], facilityIds: null, correlationId };
}

/** A console user as actorForUser needs them (a SessionUser is one). */
export interface ActingUser extends PermissionSubject {
  id: string;
  email: string;
}

/** Where the request came from (a RequestMeta is one; the seed and tests give only the correlation id). */
export interface ActingRequest {
  correlationId: string;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * A console user as an actor: their permissions and facility scope follow from their role
 * and facilities (shared/permissions.ts). Every transport, the seed and the test factories
 * build user actors here.
 */
export function actorForUser(user: ActingUser, request: ActingRequest): Actor {
  return {
    type: "USER",
    id: user.id,
    label: user.email,
    scopes: permissionsOf(user),
    facilityIds: facilityScope(user),
    correlationId: request.correlationId,
    ip: request.ip,
    userAgent: request.userAgent,
  };
}
