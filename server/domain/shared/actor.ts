/**
 * Who is acting, passed explicitly into every domain service
 * (docs/conventions.md#layers-and-imports). `facilityIds: null` means every facility.
 */
import type { ActorScope } from "../../../shared/permissions";

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
